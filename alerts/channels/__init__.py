"""Notification channels: dryrun:// and file:// here, everything else through apprise.

A channel's send() raises ChannelError with a Chinese reason on failure; any apprise
warning counts as a failed send, so nothing is silently dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from yuqing.paths import home


class ChannelError(Exception):
    pass


@dataclass(frozen=True)
class Message:
    key: str                  # the delivery key(s): receivers may dedupe on it
    department_id: str
    subject: str
    body: str


def send(channel: str, message: Message) -> str:
    """Deliver; returns a short note for the record."""
    if channel.startswith("dryrun://"):
        return "演练模式：未实际发送"
    if channel.startswith("file://"):
        return _send_file(channel, message)
    return _send_apprise(channel, message)


def _send_file(channel: str, message: Message) -> str:
    target = channel[len("file://"):]
    path = Path(target) if target else home() / "deliveries" / f"{message.department_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    marker = f"<!-- delivery {message.key} -->"
    if path.exists() and marker in path.read_text(encoding="utf-8"):
        return f"已在 {path}（重复投递已忽略）"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{marker}\n# {message.subject}\n\n{message.body}\n\n---\n\n")
    return f"已写入 {path}"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _send_apprise(channel: str, message: Message) -> str:
    import apprise

    app = apprise.Apprise()
    if not app.add(channel):
        raise ChannelError(f"无法识别的通知地址：{redact(channel)}")
    collector = _Collect()
    logger = logging.getLogger("apprise")
    logger.addHandler(collector)
    try:
        ok = app.notify(title=message.subject, body=message.body,
                        body_format=apprise.NotifyFormat.TEXT)
    finally:
        logger.removeHandler(collector)
    if not ok:
        reason = "；".join(collector.messages[-3:]) or "发送失败"
        raise ChannelError(f"{redact(channel)}：{reason}")
    return f"已发送至 {redact(channel)}"


def redact(channel: str) -> str:
    """Never show passwords or robot tokens in records and digests."""
    channel = re.sub(r"(://[^:/@?]*:)[^@/?]*@", r"\1***@", channel)
    return re.sub(r"(key|token|access_token|pass|password)=[^&]+", r"\1=***", channel)

"""Notification channels: dryrun:// and file:// here, mail in mail.py, the rest via apprise.

A channel's send() raises ChannelError with a Chinese reason on failure; any apprise
warning counts as a failed send, so nothing is silently dropped. Every channel receives the
batch key: file:// skips a key it already holds, mail uses it for the Message-ID, JSON/XML/
form webhooks send it as the `Idempotency-Key` header.
"""

from __future__ import annotations

import logging
from pathlib import Path

from yuqing.alerts.channels.base import ChannelError, Message, reader_safe, redact
from yuqing.alerts.channels.files import append_notice
from yuqing.alerts.channels.mail import is_mail, send_mail
from yuqing.paths import home

__all__ = ["ChannelError", "Message", "redact", "send", "kind_of"]
WEBHOOKS = ("json://", "jsons://", "xml://", "xmls://", "form://", "forms://")
IDEMPOTENCY_HEADER = "Idempotency-Key"


def kind_of(channel: str) -> str:
    """The delivery guarantee class of a channel (see docs/alerts.md)."""
    if channel.startswith(("dryrun://", "file://")):
        return "local"
    if is_mail(channel):
        return "mail"
    if channel.startswith(WEBHOOKS):
        return "webhook"
    return "robot"


def send(channel: str, message: Message) -> str:
    """Deliver; returns a short note for the record. Whatever the message's origin, a reader
    gets a one-line subject and masked personal data (the last point every channel shares)."""
    message = reader_safe(message)
    if channel.startswith("dryrun://"):
        return "演练模式：未实际发送"
    if channel.startswith("file://"):
        return _send_file(channel, message)
    if is_mail(channel):
        return send_mail(channel, message)
    if channel.startswith(WEBHOOKS):
        sep = "&" if "?" in channel else "?"
        return _send_apprise(f"{channel}{sep}+{IDEMPOTENCY_HEADER}=yuqing-{message.key}", message,
                             shown=channel)
    return _send_apprise(channel, message)


def _send_file(channel: str, message: Message) -> str:
    target = channel[len("file://"):]
    path = Path(target) if target else home() / "deliveries" / f"{message.department_id}.md"
    return append_notice(path, message)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _send_apprise(channel: str, message: Message, shown: str | None = None) -> str:
    import apprise

    shown = redact(shown or channel)
    app = apprise.Apprise()
    if not app.add(channel):
        raise ChannelError(f"无法识别的通知地址：{shown}")
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
        raise ChannelError(f"{shown}：{reason}")
    return f"已发送至 {shown}"

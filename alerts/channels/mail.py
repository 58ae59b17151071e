"""E-mail with a deterministic Message-ID.

Apprise parses the mailto:// / mailtos:// URL (the same grammar operators use for every
other channel), but apprise always invents a fresh Message-ID. A re-send after a crash must
carry the same Message-ID as the first attempt so mail systems can drop the duplicate, so
the message is built and submitted here with the standard library.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from datetime import datetime, timezone

from yuqing.alerts.channels.base import ChannelError, Message, reader_safe, redact

TIMEOUT = 15


def is_mail(channel: str) -> bool:
    return channel.startswith(("mailto://", "mailtos://"))


def message_id(key: str, domain: str) -> str:
    """Same delivery key → same Message-ID, whichever process or attempt sends it."""
    safe = re.sub(r"[^A-Za-z0-9.-]", "-", key)[:60]
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return f"<yuqing.{safe}.{digest}@{domain}>"


def send_mail(channel: str, message: Message) -> str:
    import apprise

    target = apprise.Apprise.instantiate(channel)
    if target is None:
        raise ChannelError(f"无法识别的邮件地址：{redact(channel)}")
    try:
        mail, sender, recipients = _build(target, reader_safe(message))
    except (ValueError, TypeError) as exc:     # the message itself is bad: say so, never crash
        raise ChannelError(f"{redact(channel)}：邮件无法生成（{type(exc).__name__}: {exc}）") from exc
    return _send(target, channel, mail, sender, recipients)


def _build(target, message: Message) -> tuple[EmailMessage, str, list[str]]:
    sender = target.from_addr[1]
    recipients = [addr for _, addr in target.targets] or [sender]
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = formataddr((target.from_addr[0] or "舆情预警", sender))
    mail["To"] = ", ".join(recipients)
    mail["Message-ID"] = message_id(message.key, sender.rsplit("@", 1)[-1] or "yuqing.local")
    mail["Date"] = format_datetime(datetime.now(timezone.utc))
    mail["X-Yuqing-Delivery"] = message.key
    mail.set_content(message.body, charset="utf-8")
    return mail, sender, recipients


def _send(target, channel: str, mail: EmailMessage, sender: str, recipients: list[str]) -> str:
    try:
        if target.secure_mode == "ssl":
            smtp = smtplib.SMTP_SSL(target.smtp_host, target.port, timeout=TIMEOUT,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(target.smtp_host, target.port, timeout=TIMEOUT)
        with smtp:
            if target.secure_mode == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if target.user and target.password:
                smtp.login(target.user, target.password)
            refused = smtp.send_message(mail, from_addr=sender, to_addrs=recipients)
    except (OSError, smtplib.SMTPException) as exc:
        raise ChannelError(f"{redact(channel)}：邮件发送失败（{type(exc).__name__}: {exc}）") from exc
    if refused:
        raise ChannelError(f"{redact(channel)}：收件人被拒绝：{'、'.join(refused)}")
    return f"已发送邮件至 {'、'.join(recipients)}"

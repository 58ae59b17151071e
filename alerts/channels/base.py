"""What every channel shares: the message, the failure, and redaction of secrets."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from yuqing.analysis.privacy import mask
from yuqing.safetext import one_line, visible


class ChannelError(Exception):
    """A failed send, with a Chinese reason for the record."""


@dataclass(frozen=True)
class Message:
    key: str                  # the batch key: idempotency key / Message-ID source
    department_id: str
    subject: str
    body: str


def redact(channel: str) -> str:
    """Never show passwords or robot tokens in records and digests."""
    channel = re.sub(r"(://[^:/@?]*:)[^@/?]*@", r"\1***@", channel)
    return re.sub(r"(key|token|access_token|pass|password|secret)=[^&]+", r"\1=***", channel)


def reader_safe(message: Message) -> Message:
    """Subject on one line (a line break in a mail header raises, or injects headers),
    personal data masked, invisible characters gone. Idempotent."""
    return replace(message, subject=one_line(mask(message.subject), 400),
                   body=visible(mask(message.body)))

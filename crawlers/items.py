"""What a spider hands the store: one collected mention, typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class MentionItem:
    source_id: str
    url: str                                   # canonical
    kind: str                                  # article / post / message
    title: str
    content: str
    published_at: datetime | None
    fetched_at: datetime
    author: str = ""
    origin: str = ""                           # 来源
    encoding: str = ""
    attachments: list[dict] = field(default_factory=list)
    reply: str = ""
    reply_at: datetime | None = None
    reply_department: str = ""
    problems: list[str] = field(default_factory=list)

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
    channel: str = ""                          # yuqing.channels code; the store fills the source's
    external_id: str = ""                      # the item's id on its channel (留言 tid, 工单编号)
    status: str = ""                           # 未回复 / 办理中 / 已办理 …
    details: dict = field(default_factory=dict)  # the channel's own fields (留言类型, 满意度 …)
    problems: list[str] = field(default_factory=list)

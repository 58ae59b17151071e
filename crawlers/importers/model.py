"""What an import reader hands the writer, and what an import reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ImportFileError(Exception):
    """A file that cannot be imported at all, with a Chinese reason naming the file."""


@dataclass
class ImportRecord:
    """One row of a file: a work order, a post or a comment."""

    row: str                                   # where it is in the file, for error messages
    channel: str                               # yuqing.channels code
    external_id: str                           # 工单编号 / note id / comment id
    url: str
    kind: str                                  # order / post / comment
    title: str
    content: str
    published_at: datetime | None
    author: str = ""
    status: str = ""
    reply: str = ""
    reply_at: datetime | None = None
    reply_department: str = ""
    address: str = ""                          # 诉求地址: matched to a street / community
    parent_external_id: str = ""               # a comment's post
    details: dict = field(default_factory=dict)


@dataclass
class RowError:
    row: str
    message: str


@dataclass
class ImportReport:
    """`yuqing import --json` prints exactly these keys."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "errors": [{"row": e.row, "message": e.message} for e in self.errors]}

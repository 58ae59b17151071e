"""Result types shared by the extractors; frozen so callers can hash and cache them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    published_at: datetime | None
    author: str
    source: str
    content: str
    encoding: str
    attachments: tuple[Attachment, ...] = ()
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "author": self.author,
            "source": self.source,
            "content": self.content,
            "url": self.url,
            "encoding": self.encoding,
            "attachments": [{"title": a.title, "url": a.url} for a in self.attachments],
        }


@dataclass(frozen=True)
class Link:
    url: str
    title: str
    date: datetime | None


@dataclass(frozen=True)
class LinkBlock:
    """A block of article links on a list page; `generic` when extract_links finds it unaided."""

    selector: str | None
    links: tuple[Link, ...]
    generic: bool

"""Data types shared by the sample-site generators, pages and server."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from yuqing.timeutil import SHANGHAI, as_aware

SITES = ("portal", "news", "weibo", "board", "liuyan")
DEFAULT_HOSTS = {"portal": "127.0.0.2", "news": "127.0.0.3", "weibo": "127.0.0.4", "board": "127.0.0.5",
                 "liuyan": "127.0.0.6"}
DEFAULT_PORT = 8780
SEED = 20261125                  # fixed: the same content on every run, only the dates move
ORDINARY_DAYS = 28
WEIBO_UID = "5634519934"

# portal column slug -> (Hanweb-style numeric column id, column name)
COLUMNS = {"zfyw": ("7843", "政府要闻"), "tzgg": ("7845", "通知公告")}


@dataclass
class Reply:
    department: str
    at: datetime
    text: str


@dataclass
class SampleItem:
    """One item served by a sample site (an article, a post or a board message)."""

    site: str                    # portal | news | weibo | board
    kind: str                    # article | post | message
    title: str
    published_at: datetime       # aware, Asia/Shanghai
    text: str                    # body, paragraphs joined by "\n"
    url: str = ""                # absolute (filled by SampleSites.items())
    path: str = ""               # path on its site, e.g. /liuyan/detail/20481.html
    event_id: str | None = None
    topic: str | None = None     # topic id hint (config/default/topics.yaml)
    place: str | None = None     # place id hint (config/default/places.yaml)
    negative: bool = False       # a complaint / bad news (sentiment hint)
    author: str = ""             # portal/news author, weibo screen name, board poster
    source: str = ""             # 来源 (portal ContentSource, news 来源)
    department: str = ""         # portal issuing office / board 受理部门
    column: str = ""             # portal column slug, news channel, board category
    attachment: str = ""         # portal attachment file name, if any
    reply: Reply | None = None   # board answer, if answered
    reprint_of: str | None = None  # URL of the portal article it copies (news reprint, 芝罘发布 share)
    ident: str = ""              # site-specific id (article id, weibo mid, message id)
    original: SampleItem | None = field(default=None, repr=False, compare=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p]

    @property
    def answered(self) -> bool:
        return self.reply is not None


@dataclass(frozen=True)
class ScriptedEvent:
    """A situation planted in the sample sites that the analysis should find."""

    id: str                      # heating-zhichu, elevator-xingfu, gas-explosion, unanswered-board
    topic: str                   # topic id
    place: str                   # place id
    severity: str                # expected minimum severity (一般/较大/重大/特别重大)
    kind: str                    # spike | slow | critical | unanswered
    summary: str
    start: datetime              # earliest item
    end: datetime                # latest item
    urls: tuple[str, ...]        # absolute URLs of its items (detail pages / status pages)
    sites: dict[str, int] = field(default_factory=dict)   # items per site


def local_now(now: datetime) -> datetime:
    return as_aware(now).astimezone(SHANGHAI)


def at_day(now: datetime, days_ago: int, hour: int, minute: int, second: int = 0) -> datetime:
    """Local wall-clock time `days_ago` days before `now`; moved a day back if in the future."""
    now = local_now(now)
    day = now.date() - timedelta(days=days_ago)
    moment = datetime.combine(day, time(hour, minute, second), SHANGHAI)
    while moment > now - timedelta(minutes=10):
        moment -= timedelta(days=1)
    return moment


def ago(now: datetime, hours: float) -> datetime:
    return (local_now(now) - timedelta(hours=hours)).replace(microsecond=0)


def spread_days(rng: random.Random, count: int, days: int = ORDINARY_DAYS) -> list[int]:
    """`count` day offsets spread evenly over `days` (never two in a row on a busy day)."""
    step = days / max(count, 1)
    return [min(days - 1, int(i * step + rng.random() * step * 0.9)) for i in range(count)]


def weibo_title(text: str) -> str:
    """RSSHub titles a Weibo post by its first characters."""
    return text if len(text) <= 30 else text[:30] + "…"

"""What readers see of an event: first report (首发), spread path (传播路径), hourly series per
channel, summary and every mention, as plain data for the CLI, the reports and the dashboard.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from yuqing.channels import label
from yuqing.analysis.event_facts import FactReader, source_label
from yuqing.analysis.event_refresh import is_complaint, is_response, members_of, official_sources
from yuqing.analysis.event_summary import status_of
from yuqing.analysis.spread import SpreadStep, spread_path
from yuqing.config.models import Config
from yuqing.storage.events import Event
from yuqing.timeutil import local

MAX_HOURS = 14 * 24        # the hourly series covers at most the last two weeks of an event


@dataclass
class MentionLine:
    id: int
    when: datetime
    title: str
    url: str
    source: str
    channel: str
    author: str
    negative: bool
    story_id: int | None


@dataclass
class EventDetail:
    event: Event
    topic: str
    place: str
    status: str
    first: MentionLine | None
    spread: list[SpreadStep]
    chains: list[list[str]]                    # reprint and repost chains, origin first
    series: dict[str, list[int]]               # channel -> mentions per hour
    hours: list[datetime]
    mentions: list[MentionLine] = field(default_factory=list)
    channel_counts: dict[str, int] = field(default_factory=dict)
    responses: list[MentionLine] = field(default_factory=list)   # official 通报 / 回应

    def as_json(self) -> dict:
        e = self.event
        return {
            "id": e.id, "title": e.title, "status": self.status,
            "topic": {"id": e.topic_id, "name": self.topic},
            "place": {"id": e.place_id, "name": self.place}, "communities": list(e.communities or []),
            "first_report": _line_json(self.first) if self.first else None,
            "first_seen_at": _iso(e.first_seen_at), "last_seen_at": _iso(e.last_seen_at),
            "counts": {"mentions": e.mentions, "negative": e.negative, "stories": e.stories,
                       "copies": e.mentions - e.stories, "sources": e.sources,
                       "channels": e.channels, "authors": e.authors,
                       "negative_share": round(e.negative / e.mentions, 3) if e.mentions else 0.0,
                       "weight": e.weight, "by_channel": self.channel_counts},
            "summary": [{"text": x["text"], "url": x["url"], "source": x.get("source", "")}
                        for x in (e.summary or [])],
            "spread_path": [s.as_json() for s in self.spread],
            "chains": self.chains,
            "hourly": {"start": _iso(self.hours[0]) if self.hours else None,
                       "series": self.series},
            "official_responses": [_line_json(m) for m in self.responses],
            "mentions": [m.url for m in self.mentions],
        }


def _iso(t: datetime | None) -> str | None:
    return local(t).isoformat() if t else None


def _line_json(m: MentionLine) -> dict:
    return {"mention_id": m.id, "at": _iso(m.when), "title": m.title, "url": m.url,
            "source": m.source, "channel": m.channel, "author": m.author}


def names(config: Config, e: Event) -> tuple[str, str]:
    topic = next((t.name for t in config.topics if t.id == e.topic_id), "未归类")
    place = next((p.name for p in config.places if p.id == e.place_id), "全区")
    return topic, place


def resolve(s, event_id: int) -> Event | None:
    """The event, following merges (an old link to a merged event still lands somewhere)."""
    e = s.get(Event, event_id)
    seen = set()
    while e is not None and e.merged_into and e.id not in seen:
        seen.add(e.id)
        e = s.get(Event, e.merged_into)
    return e


def event_detail(s, config: Config, reader: FactReader, e: Event, at: datetime) -> EventDetail:
    mentions = sorted(members_of(s, e.id), key=lambda m: (m.when, m.id))
    official = official_sources(config)
    lines, responses = [], []
    for m in mentions:
        channel = reader.channels.get(m.source_id) or label(m.channel)
        lines.append(MentionLine(m.id, m.when, m.title or "", m.url,
                                 source_label(m, reader.sources.get(m.source_id), channel),
                                 channel, (m.author or "").strip(), is_complaint(m, official),
                                 m.story_id))
        if is_response(m, official):
            responses.append(lines[-1])
    topic, place = names(config, e)
    hours, series = hourly(lines)
    steps, chains = spread_path(mentions, lines)
    return EventDetail(e, topic, place, status_of([m.when for m in lines], at),
                       lines[0] if lines else None, steps, chains, series, hours, lines,
                       dict(Counter(m.channel for m in lines).most_common()), responses)


def hourly(lines: list[MentionLine]) -> tuple[list[datetime], dict[str, list[int]]]:
    if not lines:
        return [], {}
    last = local(max(m.when for m in lines)).replace(minute=0, second=0, microsecond=0)
    first = local(min(m.when for m in lines)).replace(minute=0, second=0, microsecond=0)
    first = max(first, last - timedelta(hours=MAX_HOURS - 1))
    n = int((last - first).total_seconds() // 3600) + 1
    hours = [first + timedelta(hours=i) for i in range(n)]
    series: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    for m in lines:
        i = int((local(m.when) - first).total_seconds() // 3600)
        if 0 <= i < n:
            series[m.channel][i] += 1
    return hours, dict(series)


def list_events(s, since: datetime | None = None, limit: int = 50, min_mentions: int = 1,
                place_id: str | None = None, topic_id: str | None = None) -> list[Event]:
    """Events seen since `since`, weightiest first (weighted negative volume, then size)."""
    q = select(Event).where(Event.merged_into.is_(None), Event.mentions >= min_mentions)
    if since is not None:
        q = q.where(Event.last_seen_at >= since)
    if place_id:
        q = q.where(Event.place_id == place_id)
    if topic_id:
        q = q.where(Event.topic_id == topic_id)
    q = q.order_by(Event.weight.desc(), Event.mentions.desc(), Event.last_seen_at.desc(), Event.id)
    return list(s.scalars(q.limit(limit)))

"""Hot events (负面热点) for the duty digest and the weekly report: events, not reprint groups.

Ranked by weighted negative volume in the window (one voice per distinct author, weighted by
the authority of where they spoke, so one account flooding counts once), growth (a rising or
new event first) and authority. Every running 重大/特别重大 warning's event is always listed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuqing.alerts.event_link import warning_events
from yuqing.analysis.event_refresh import author_key, is_complaint, official_sources
from yuqing.analysis.event_summary import status_of
from yuqing.analysis.event_view import names
from yuqing.analysis.speakers import Speakers
from yuqing.config.models import Config
from yuqing.storage.events import Event, EventMention
from yuqing.storage.models import Mention, Warning
from yuqing.reports.stats import WHEN

MAJOR = ("重大", "特别重大")
GROWTH = {"新发": 1.3, "上升": 1.5, "高位": 1.1, "回落": 0.9, "平息": 0.8}


@dataclass
class EventLine:
    event: Event
    topic: str
    place: str
    status: str
    first: Mention | None
    first_by: str                     # who reported it first (首发)
    mentions: int = 0                 # in the window
    negative: int = 0
    authors: int = 0
    channels: list[str] = field(default_factory=list)
    weight: float = 0.0               # weighted negative volume in the window
    score: float = 0.0
    warnings: list[Warning] = field(default_factory=list)   # running warnings it belongs to
    link: str = ""

    @property
    def communities(self) -> str:
        return "、".join(self.event.communities or [])


def event_link(config: Config, event_id: int) -> str:
    return f"{config.settings.delivery.dashboard_url.rstrip('/')}/events/{event_id}"


def hot_events(s: Session, config: Config, since: datetime, until: datetime, limit: int = 5,
               must: dict[int, list[Warning]] | None = None) -> list[EventLine]:
    """The window's hot events; `must` (event id -> warnings) are listed whatever their rank."""
    speaker = Speakers(config)
    weights = config.settings.detection.authority_weight
    authority = {src.id: float(weights.get(src.authority, 1.0)) for src in config.sources}
    rows = s.execute(select(EventMention.event_id, Mention)
                     .join(Mention, Mention.id == EventMention.mention_id)
                     .where(WHEN >= since, WHEN <= until)).all()
    per_event: dict[int, list[Mention]] = defaultdict(list)
    for event_id, m in rows:
        per_event[event_id].append(m)
    must = dict(must or {})
    official = official_sources(config)
    lines: dict[int, EventLine] = {}
    events = {e.id: e for e in s.scalars(select(Event).where(
        Event.id.in_(set(per_event) | set(must) or {-1})))}
    for event_id, e in events.items():
        if e.merged_into:
            continue
        inside = per_event.get(event_id, [])
        complaints = [m for m in inside if is_complaint(m, official)]
        if not complaints and event_id not in must:
            continue
        voices: dict[str, float] = {}
        for m in complaints:
            voices[author_key(m)] = max(voices.get(author_key(m), 0.0), authority.get(m.source_id, 1.0))
        first = s.get(Mention, e.first_mention_id) if e.first_mention_id else None
        topic, place = names(config, e)
        status = status_of(_times(s, event_id, until), until)
        weight = round(sum(voices.values()), 2)
        line = EventLine(e, topic, place, status, first, speaker(first) if first else "",
                         len(inside), len(complaints), len({author_key(m) for m in inside}),
                         sorted({speaker.channel(m) for m in inside}), weight,
                         weight * GROWTH.get(status, 1.0), must.get(event_id, []),
                         event_link(config, event_id))
        lines[event_id] = line
    ranked = sorted(lines.values(), key=lambda x: (-x.score, -x.event.mentions, x.event.id))
    shown = [x for x in ranked if x.event.id in must]
    shown += [x for x in ranked if x.event.id not in must][:max(0, limit - len(shown))]
    return sorted(shown, key=lambda x: (-x.score, -x.event.mentions, x.event.id))


def _times(s: Session, event_id: int, until: datetime) -> list[datetime]:
    rows = s.execute(select(Mention.published_at, Mention.fetched_at)
                     .join(EventMention, EventMention.mention_id == Mention.id)
                     .where(EventMention.event_id == event_id)).all()
    return [t for t in (p or f for p, f in rows) if t <= until]


def major_warning_events(s: Session, warnings: list[Warning]) -> dict[int, list[Warning]]:
    """Event id -> the running 重大/特别重大 warnings it is the main event of."""
    out: dict[int, list[Warning]] = defaultdict(list)
    for w in warnings:
        if w.severity not in MAJOR or w.status == "closed":
            continue
        events = warning_events(s, w)
        if events:
            out[events[0][0].id].append(w)
    return dict(out)

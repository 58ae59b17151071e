"""Warnings and events (预警与事件): which events make up a warning, the warning's trigger as a
person would say it, and the one check that keeps an event to one running warning.

The link is read from the evidence (a warning's mentions and their events), so it is always
current: an event that grows or merges is seen through its members, and nothing has to be
kept in step when detection adds evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from yuqing.analysis.event_facts import CommunityFinder
from yuqing.config.models import Config
from yuqing.storage.events import Event, EventMention
from yuqing.storage.models import Mention, Warning, WarningEvent, WarningEvidence

SERIES_KINDS = ("spike", "trend")       # warnings on a series, opened in episodes
CONCENTRATED = 0.5                      # "集中在X社区" when at least this share names it
_HOURS = re.compile(r"近\s*(\d+(?:\.\d+)?)\s*小时")
_CHUNK = 500


def _live(s: Session, event_ids: set[int]) -> dict[int, int]:
    """Each event id -> the event it now is (merged events lead to their survivor)."""
    out = {}
    for event_id in event_ids:
        current, seen = event_id, set()
        while current not in seen:
            seen.add(current)
            merged = s.scalar(select(Event.merged_into).where(Event.id == current))
            if not merged:
                break
            current = merged
        out[event_id] = current
    return out


def events_of_mentions(s: Session, mention_ids) -> Counter:
    """Event id -> how many of these mentions it holds."""
    found: Counter = Counter()
    ids = list(mention_ids)
    raw: Counter = Counter()
    for i in range(0, len(ids), _CHUNK):
        raw.update(s.scalars(select(EventMention.event_id)
                             .where(EventMention.mention_id.in_(ids[i:i + _CHUNK]))))
    live = _live(s, set(raw))
    for event_id, n in raw.items():
        found[live[event_id]] += n
    return found


def warning_events(s: Session, warning: Warning) -> list[tuple[Event, int]]:
    """The events that make up a warning, with how much of its evidence each holds."""
    mids = s.scalars(select(WarningEvidence.mention_id).where(WarningEvidence.warning_id == warning.id))
    counts = events_of_mentions(s, list(mids))
    events = {e.id: e for e in s.scalars(select(Event).where(Event.id.in_(list(counts) or [-1])))}
    return sorted(((events[i], n) for i, n in counts.items() if i in events),
                  key=lambda en: (-en[1], -en[0].mentions, en[0].id))


def event_warnings(s: Session, event: Event) -> list[Warning]:
    """Warnings whose evidence includes the event's mentions, most recent first."""
    ids = set(s.scalars(select(WarningEvidence.warning_id)
                        .join(EventMention, EventMention.mention_id == WarningEvidence.mention_id)
                        .where(EventMention.event_id == event.id)))
    return list(s.scalars(select(Warning).where(Warning.id.in_(ids or {-1}))
                          .order_by(Warning.opened_at.desc())))


def same_event_warning(s: Session, finding, latest: Warning | None, at: datetime) -> Warning | None:
    """The running warning of the finding's event, when detection would otherwise open a new one.

    - a single-item finding (an unanswered message, a critical item) whose event already has
      a warning that is not closed belongs to that warning: the follow-up message on the
      same matter is new evidence, not a second warning — but an item naming a street joins a
      spike or slow-burn warning only in that street;
    - a series finding whose last episode subsided, while the event it was about keeps
      growing, updates that episode again instead of opening the next.
    Returns None when the usual key rules apply.
    """
    series = finding.kind in SERIES_KINDS
    if latest is not None and not (series and latest.subsided_at):
        return None                          # the finding's own warning is running
    events = events_of_mentions(s, finding.mention_ids)
    if not events:
        return None
    mids = s.scalars(select(EventMention.mention_id).where(EventMention.event_id.in_(list(events))))
    candidates = set()
    mids = list(mids)
    for i in range(0, len(mids), _CHUNK):
        candidates |= set(s.scalars(select(WarningEvidence.warning_id)
                                    .where(WarningEvidence.mention_id.in_(mids[i:i + _CHUNK]))))
    if not candidates:
        return None
    query = select(Warning).where(Warning.id.in_(candidates), Warning.status != "closed")
    if series:
        if latest is None:
            return None
        query = query.where(Warning.id == latest.id)
    elif finding.place_id:
        # an incident in a street joins a series warning of its event only in that street: a
        # district-wide slow burn (no street, so no 处置) would otherwise swallow a fire in
        # 向阳街道 and the street that must act on it would never hear of it
        query = query.where(or_(Warning.kind.not_in(SERIES_KINDS), Warning.place_id == finding.place_id))
    warning = s.scalar(query.order_by(Warning.opened_at, Warning.id).limit(1))
    if warning is not None and warning.subsided_at is not None:
        warning.subsided_at = None
        s.add(WarningEvent(warning_id=warning.id, actor="系统", action="再次上升",
                           detail="同一事件仍在发展，更新原预警", at=at))
    return warning


def trigger_sentence(config: Config, warning: Warning, evidence: list[Mention],
                     finder: CommunityFinder | None = None) -> str:
    """The warning's trigger in one sentence, as a duty officer would say it on the phone:
    只楚街道近24小时负面18条（平时约0条），集中在葡萄山社区."""
    place = next((p.name for p in config.places if p.id == warning.place_id), "全区")
    if warning.kind not in SERIES_KINDS:
        return warning.summary or warning.title
    match = _HOURS.search(warning.summary or "")
    hours = float(match.group(1)) if match else config.settings.detection.window.total_seconds() / 3600
    topic = next((t.name for t in config.topics if t.id == warning.topic_id), "")
    what = f"“{topic}”相关负面" if topic else "负面"
    if warning.updated_at is not None:
        since = warning.updated_at - timedelta(hours=hours)
        evidence = [m for m in evidence if since < m.when <= warning.updated_at] or evidence
    sentence = (f"{place}近{hours:g}小时{what}信息{len(evidence)}条"
                f"（平时约{round(warning.baseline or 0):d}条）")
    finder = finder or CommunityFinder(config)
    named: Counter = Counter()
    for m in evidence:
        named.update(finder(f"{m.title}\n{(m.content or '')[:400]}"))
    if named and evidence:
        top, n = min(named.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= CONCENTRATED * len(evidence):
            sentence += f"，集中在{top}"
    return sentence

"""Assign analysed mentions to events, in the analysis batch's own transaction.

One call handles one batch: it reads the candidate events through `event_keys` (open events
only), decides in memory, and writes memberships, event counters and keys. The derived fields
(title, summary, status, distinct counts) are refreshed later from the members
(analysis/event_refresh.py), once per run, not once per mention.

Concurrency: a mention's membership is its primary key, so a mention is never in two events.
On PostgreSQL, assignment takes a transaction-scoped advisory lock: two analysis workers
decide one after the other (deciding takes milliseconds per batch), so they cannot both open
an event for the same matter; on SQLite the write lock does the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from yuqing.analysis.event_facts import FactReader, MentionFacts
from yuqing.analysis.events import EventProfile, choose, mention_keys
from yuqing.storage.events import Event, EventKey, EventMention
from yuqing.storage.models import Mention, MentionTopic
from yuqing.timeutil import now

LOCK_ID = 0x7975716E   # "yuqn": the advisory lock of event assignment
CHUNK = 500


@dataclass
class AssignSummary:
    assigned: int = 0
    opened: int = 0
    merged: int = 0
    skipped: int = 0          # empty mentions: nothing to group


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _lock(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})


def _profile(e: Event) -> EventProfile:
    return EventProfile(e.id, e.topic_id, e.place_id, set(e.communities or []),
                        e.first_seen_at, e.last_seen_at, e.mentions, dict(e.terms or {}),
                        anchors=set(e.anchors or []))


class _Batch:
    """The events one batch may touch, with an in-memory key index over them."""

    def __init__(self, s: Session):
        self.s = s
        self.rows: dict[int, Event] = {}
        self.profiles: dict[int, EventProfile] = {}
        self.by_key: dict[str, set[int]] = {}
        self.new: list[EventProfile] = []        # opened in this batch (no id until written)
        self.merged: dict[int, int] = {}         # stored event id merged away -> survivor id

    def add_row(self, e: Event) -> None:
        if e.id not in self.rows and e.merged_into is None:
            self.rows[e.id], self.profiles[e.id] = e, _profile(e)

    def load(self, keys: set[str]) -> None:
        ids: set[int] = set()
        for part in _chunks(sorted(keys)):
            for key, event_id in self.s.execute(select(EventKey.key, EventKey.event_id)
                                                .where(EventKey.key.in_(part))):
                ids.add(event_id)
                self.by_key.setdefault(key, set()).add(event_id)
        for part in _chunks(sorted(ids)):
            for e in self.s.scalars(select(Event).where(Event.id.in_(part),
                                                        Event.merged_into.is_(None))):
                self.add_row(e)

    def profile(self, ref) -> EventProfile | None:
        profile = self.profiles.get(ref) if isinstance(ref, int) else ref
        return profile.resolve() if profile is not None else None

    def candidates(self, m: MentionFacts) -> list[EventProfile]:
        seen: dict[int, EventProfile] = {}
        for key in mention_keys(m):
            for ref in self.by_key.get(key, ()):
                profile = self.profile(ref)
                if profile is not None:
                    seen[id(profile)] = profile
        return list(seen.values())

    def index(self, profile: EventProfile) -> None:
        ref = profile.id if profile.id is not None else profile
        for key in profile.keys():
            self.by_key.setdefault(key, set()).add(ref)

    def merge(self, a: EventProfile, b: EventProfile) -> EventProfile:
        """Fuse two events; the stored (older) one survives, so links to it keep working."""
        if (a.id is None and b.id is not None) or (a.id and b.id and b.id < a.id):
            a, b = b, a
        a.absorb(b)
        b.merged_to = a
        if b.id is not None:
            self.merged[b.id] = a.id
        else:
            self.new.remove(b)
        return a


def story_events(s: Session, story_ids: set[int]) -> dict[int, int]:
    """Story -> the event holding its earlier copies (following merges)."""
    found: dict[int, int] = {}
    for part in _chunks(sorted(story_ids)):
        rows = s.execute(select(Mention.story_id, EventMention.event_id, Event.merged_into)
                         .join(EventMention, EventMention.mention_id == Mention.id)
                         .join(Event, Event.id == EventMention.event_id)
                         .where(Mention.story_id.in_(part))).all()
        for story, event_id, merged in rows:
            found.setdefault(story, merged or event_id)
    return found


def assign_events(s: Session, reader: FactReader, mentions: list[Mention],
                  at: datetime | None = None) -> AssignSummary:
    """Give every mention of the batch an event (a new one when none fits)."""
    at = at or now()
    summary = AssignSummary()
    ids = [m.id for m in mentions]
    held = set()
    for part in _chunks(ids):
        held |= set(s.scalars(select(EventMention.mention_id).where(EventMention.mention_id.in_(part))))
    topics: dict[int, list[str]] = {}
    for part in _chunks(ids):
        for mid, topic in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                    .where(MentionTopic.mention_id.in_(part))):
            topics.setdefault(mid, []).append(topic)
    facts = []
    for m in mentions:
        if m.id in held:
            continue
        f = reader.read(m, topics.get(m.id, []))
        if f.empty:
            summary.skipped += 1        # nothing to say what it is about: no event
            continue
        facts.append(f)
    if not facts:
        return summary
    facts.sort(key=lambda f: (f.when, f.id))
    _lock(s)
    batch = _Batch(s)
    keys = set().union(*(mention_keys(f) for f in facts))
    batch.load(keys)
    by_story = story_events(s, {f.story_id for f in facts if f.story_id})
    for event_id in set(by_story.values()) - set(batch.rows):
        e = s.get(Event, event_id)
        if e is not None and e.merged_into is None:
            batch.rows[e.id], batch.profiles[e.id] = e, _profile(e)
    placed: list[tuple[MentionFacts, EventProfile, float]] = []
    stories: dict[int, object] = dict(by_story)        # story -> event id or profile
    for f in facts:
        profile = batch.profile(stories[f.story_id]) if f.story_id in stories else None
        score = 1.0
        if profile is None:
            profile, others, score = choose(f, batch.candidates(f))
            for other in others:
                profile = batch.merge(profile, other)
                summary.merged += 1
        if profile is None:
            profile = EventProfile.start(f)
            batch.new.append(profile)
            summary.opened += 1
        else:
            profile.add(f)
        batch.index(profile)
        if f.story_id:
            stories[f.story_id] = profile
        placed.append((f, profile, score))
        summary.assigned += 1
    _write(s, batch, placed, at)
    return summary


def _write(s: Session, batch: _Batch, placed, at: datetime) -> None:
    for profile in batch.new:
        row = Event(topic_id=profile.topic_id, place_id=profile.place_id,
                    first_seen_at=profile.first_seen, last_seen_at=profile.last_seen,
                    created_at=at, updated_at=at)
        s.add(row)
        s.flush()
        profile.id = row.id
        batch.rows[row.id], batch.profiles[row.id] = row, profile
    quick = {"synchronize_session": False}     # rows are not held in this session: no need
    for old, survivor in batch.merged.items():
        while survivor in batch.merged:
            survivor = batch.merged[survivor]
        s.execute(update(EventMention).where(EventMention.event_id == old).values(event_id=survivor)
                  .execution_options(**quick))
        s.execute(delete(EventKey).where(EventKey.event_id == old).execution_options(**quick))
        s.execute(update(Event).where(Event.merged_into == old).values(merged_into=survivor)
                  .execution_options(**quick))
        gone = batch.rows.pop(old, None) or s.get(Event, old)
        gone.merged_into, gone.dormant, gone.stale, gone.updated_at = survivor, True, True, at
        batch.rows[survivor].stale = True
    touched: dict[int, EventProfile] = {}
    for f, profile, score in placed:
        profile = profile.resolve()
        s.add(EventMention(mention_id=f.id, event_id=profile.id, score=round(score, 3), assigned_at=at))
        touched[profile.id] = profile
    for event_id, profile in touched.items():
        row = batch.rows[event_id]
        profile.trim()
        row.terms = dict(profile.terms)
        row.mentions = profile.members
        row.first_seen_at, row.last_seen_at = profile.first_seen, profile.last_seen
        row.topic_id, row.place_id = profile.topic_id, profile.place_id
        row.communities = sorted(profile.communities)
        row.anchors = sorted(profile.anchors)
        row.stale, row.dormant, row.updated_at = True, False, at
    ids = sorted(touched)
    for part in _chunks(ids):
        s.execute(delete(EventKey).where(EventKey.event_id.in_(part)).execution_options(**quick))
    s.flush()
    rows = [{"key": k, "event_id": event_id} for event_id in ids for k in sorted(touched[event_id].keys())]
    if rows:
        s.execute(insert(EventKey), rows)
    s.flush()

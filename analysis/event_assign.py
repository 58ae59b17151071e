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

from sqlalchemy import and_, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from yuqing.analysis.event_facts import FactReader, MentionFacts
from yuqing.analysis.events import GAP, EventProfile, Position, choose, mention_keys, position
from yuqing.storage.events import Event, EventKey, EventMention
from yuqing.storage.models import Mention, MentionTopic
from yuqing.timeutil import as_aware, now

LOCK_ID = 0x7975716E   # "yuqn": the advisory lock of event assignment
CHUNK = 500
# A batch with mentions older than ones already grouped replays the events they could touch
# (see _region); beyond this many members it is grouped in arrival order instead.
REPLAY_LIMIT = 5000


@dataclass
class AssignSummary:
    assigned: int = 0
    opened: int = 0
    merged: int = 0
    skipped: int = 0          # empty mentions: nothing to group
    replayed: int = 0         # members of later events regrouped with a late batch


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _lock(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LOCK_ID})


def _at(value, fallback: Position) -> Position:
    if not value:
        return fallback
    when, url = value
    return (as_aware(datetime.fromisoformat(when)), str(url))


def _stored_at(at: Position | None):
    return [at[0].isoformat(), at[1]] if at is not None else None


def _profile(e: Event) -> EventProfile:
    g = e.grouping or {}
    first = _at(g.get("first_at"), (as_aware(e.first_seen_at), ""))
    legacy = not g     # grouped before the state was kept: its display topic stands in
    return EventProfile(e.id, g.get("topic") if not legacy else e.topic_id, e.place_id,
                        set(e.communities or []), as_aware(e.first_seen_at), as_aware(e.last_seen_at),
                        e.mentions, dict(e.terms or {}), anchors=set(e.anchors or []),
                        follow=set(g.get("follow") or []), first_at=first,
                        topic_at=_at(g.get("topic_at"), first) if (g.get("topic") or legacy and e.topic_id) else None,
                        place_at=_at(g.get("place_at"), first) if e.place_id else None)


def _grouping(profile: EventProfile) -> dict:
    return {"topic": profile.topic_id, "topic_at": _stored_at(profile.topic_at),
            "place_at": _stored_at(profile.place_at), "first_at": _stored_at(profile.first_at),
            "follow": sorted(profile.follow)}


class _Batch:
    """The events one batch may touch, with an in-memory key index over them that holds
    exactly their current keys (as the stored index does), so what a mention finds does not
    depend on whether earlier mentions were read in this batch or an earlier one."""

    def __init__(self, s: Session, rebuilding: set[int] = frozenset()):
        self.s = s
        self.rebuilding = rebuilding              # stored events being regrouped (replay)
        self.rows: dict[int, Event] = {}
        self.profiles: dict[int, EventProfile] = {}
        self.by_key: dict[str, set] = {}
        self.keys_of: dict[object, set[str]] = {}
        self.new: list[EventProfile] = []        # opened in this batch (no id until written)
        self.merged: dict[int, int] = {}         # stored event id merged away -> survivor id

    def add_row(self, e: Event, keys: set[str] | None = None) -> None:
        """Hold a stored event; index it by `keys` (the stored keys this batch looked up),
        or by all its current keys when None (an event put to sleep, whose keys are gone)."""
        if e.id in self.rows or e.merged_into is not None or e.id in self.rebuilding:
            return
        self.rows[e.id], self.profiles[e.id] = e, _profile(e)
        self.index(self.profiles[e.id], keys)

    def load(self, keys: set[str]) -> None:
        found: dict[int, set[str]] = {}
        for part in _chunks(sorted(keys)):
            for key, event_id in self.s.execute(select(EventKey.key, EventKey.event_id)
                                                .where(EventKey.key.in_(part))):
                found.setdefault(event_id, set()).add(key)
        ids = set(found) - set(self.rows) - self.rebuilding
        for part in _chunks(sorted(ids)):
            for e in self.s.scalars(select(Event).where(Event.id.in_(part),
                                                        Event.merged_into.is_(None))):
                self.add_row(e, found[e.id])

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

    def index(self, profile: EventProfile, keys: set[str] | None = None) -> None:
        ref = profile.id if profile.id is not None else profile
        keys = profile.keys() if keys is None else keys
        old = self.keys_of.get(ref, set())
        for key in old - keys:
            self.by_key[key].discard(ref)
        for key in keys - old:
            self.by_key.setdefault(key, set()).add(ref)
        self.keys_of[ref] = keys

    def merge(self, a: EventProfile, b: EventProfile) -> EventProfile:
        """Fuse two events; the stored (older) one survives, so links to it keep working."""
        if (a.id is None and b.id is not None) or (a.id and b.id and b.id < a.id):
            a, b = b, a
        a.absorb(b)
        b.merged_to = a
        self.index(b, set())
        if b.id is not None:
            self.merged[b.id] = a.id
        else:
            self.new.remove(b)
        return a


def story_events(s: Session, story_ids: set[int], skip: set[int] = frozenset()) -> dict[int, int]:
    """Story -> the event holding its earlier copies (following merges)."""
    found: dict[int, int] = {}
    for part in _chunks(sorted(story_ids)):
        rows = s.execute(select(Mention.story_id, EventMention.event_id, Event.merged_into)
                         .join(EventMention, EventMention.mention_id == Mention.id)
                         .join(Event, Event.id == EventMention.event_id)
                         .where(Mention.story_id.in_(part))).all()
        for story, event_id, merged in rows:
            if (merged or event_id) not in skip:
                found.setdefault(story, merged or event_id)
    return found


def _events_since(s: Session, since: datetime, strict: bool = False) -> list[Event]:
    """Events (not merged away) with a member at or after `since`; two indexed ranges."""
    out = []
    for dormant in (False, True):
        bound = Event.last_seen_at > since if strict else Event.last_seen_at >= since
        out += s.scalars(select(Event).where(Event.dormant.is_(dormant), bound,
                                             Event.merged_into.is_(None)))
    return out


def _region(s: Session, first: MentionFacts) -> tuple[datetime, dict[int, Event]] | None:
    """The stored events a batch starting at `first` must be regrouped with, and where that
    replay starts: every event with a member read after `first` (by time, then id), widened
    until no event straddles the start. The events before it are final, as they would be had
    everything been read in one batch in time order. {} when the batch comes after all
    stored mentions (the usual case); None when the replay would exceed REPLAY_LIMIT."""
    region = {e.id: e for e in _events_since(s, first.when, strict=True)}
    ties = [e.id for e in _events_since(s, first.when) if e.id not in region]
    if ties:          # events whose last member has the batch's first time: read after it?
        same_time = or_(Mention.published_at == first.when,
                        and_(Mention.published_at.is_(None), Mention.fetched_at == first.when))
        for event_id, url, mid in s.execute(
                select(EventMention.event_id, Mention.url, Mention.id)
                .join(Mention, Mention.id == EventMention.mention_id)
                .where(EventMention.event_id.in_(ties), same_time)):
            if (url or f"#{mid}") > first.url and event_id not in region:
                region[event_id] = s.get(Event, event_id)
    start = first.when
    while region:
        earliest = min(as_aware(e.first_seen_at) for e in region.values())
        if sum(e.mentions or 0 for e in region.values()) > REPLAY_LIMIT:
            return None
        if earliest >= start:
            break
        start = earliest
        region |= {e.id: e for e in _events_since(s, start) if e.id not in region}
    return start, region


def _replayed(s: Session, reader: FactReader, region: dict[int, Event]) -> tuple[list, dict[int, set[int]]]:
    """The facts of the region's members, and each region event's members before the replay."""
    members: dict[int, set[int]] = {}
    for part in _chunks(sorted(region)):
        for mid, event_id in s.execute(select(EventMention.mention_id, EventMention.event_id)
                                       .where(EventMention.event_id.in_(part))):
            members.setdefault(event_id, set()).add(mid)
    ids = sorted(set().union(*members.values())) if members else []
    topics: dict[int, list[str]] = {}
    facts = []
    for part in _chunks(ids):
        for mid, topic in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                    .where(MentionTopic.mention_id.in_(part))):
            topics.setdefault(mid, []).append(topic)
        for m in s.scalars(select(Mention).where(Mention.id.in_(part))):
            f = reader.read(m, topics.get(m.id, []))
            if not f.empty:
                facts.append(f)
    return facts, members


def assign_events(s: Session, reader: FactReader, mentions: list[Mention],
                  at: datetime | None = None) -> AssignSummary:
    """Give every mention of the batch an event (a new one when none fits).

    The result is what reading every stored mention in one batch, in time order, would give:
    when the batch holds mentions older than some already grouped (a source crawled late, a
    run killed and restarted), the events those could touch are regrouped with it (_region).
    """
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
    facts.sort(key=position)
    _lock(s)
    found = _region(s, facts[0])
    start, region = found if found is not None else (facts[0].when, {})
    old_members: dict[int, set[int]] = {}
    batch = _Batch(s, set(region))
    if region:
        replay, old_members = _replayed(s, reader, region)
        summary.replayed = len(replay)
        facts = sorted(facts + replay, key=position)
        # the events that were final before the replay starts, dormant ones included: a
        # mention of the replay may still join them, as it would have in time order
        for e in s.scalars(select(Event).where(Event.last_seen_at >= start - GAP,
                                               Event.last_seen_at < start, Event.merged_into.is_(None))):
            batch.add_row(e)
    keys = set().union(*(mention_keys(f) for f in facts))
    batch.load(keys)
    by_story = story_events(s, {f.story_id for f in facts if f.story_id}, set(region))
    for event_id in sorted(set(by_story.values()) - set(batch.rows)):
        e = s.get(Event, event_id)
        if e is not None:
            batch.add_row(e, set())     # none of its stored keys is one this batch looks up
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
        else:
            profile.add(f)
        batch.index(profile)
        if f.story_id:
            stories[f.story_id] = profile
        placed.append((f, profile, score))
        summary.assigned += 1
    summary.assigned -= summary.replayed
    summary.opened = _write(s, batch, placed, at, region, old_members)
    return summary


def _reuse(batch: _Batch, placed, region: dict[int, Event], old_members: dict[int, set[int]]
           ) -> dict[int, int]:
    """Regrouped events keep the ids (and links) of the stored events they hold most of."""
    if not region:
        return {}
    held: dict[int, set[int]] = {}
    for f, profile, _ in placed:
        held.setdefault(id(profile.resolve()), set()).add(f.id)
    reused: dict[int, int] = {}
    taken: set[int] = set()
    for profile in sorted(batch.new, key=EventProfile.order):
        mine = held.get(id(profile), set())
        best = max(((len(mine & old_members.get(e, set())), -e) for e in region if e not in taken),
                   default=(0, 0))
        if best[0] > 0:
            reused[id(profile)] = -best[1]
            taken.add(-best[1])
    return reused


def _write(s: Session, batch: _Batch, placed, at: datetime, region: dict[int, Event] = {},
           old_members: dict[int, set[int]] = {}) -> int:
    """Store the batch's decisions; returns how many events were opened."""
    quick = {"synchronize_session": False}     # rows are not held in this session: no need
    reused = _reuse(batch, placed, region, old_members)
    if region:
        ids = sorted(region)
        for part in _chunks(ids):
            s.execute(delete(EventMention).where(EventMention.event_id.in_(part)).execution_options(**quick))
            s.execute(delete(EventKey).where(EventKey.event_id.in_(part)).execution_options(**quick))
    opened = 0
    for profile in batch.new:
        row = region.get(reused.get(id(profile)))
        if row is None:
            row = Event(topic_id=profile.topic_id, place_id=profile.place_id,
                        first_seen_at=profile.first_seen, last_seen_at=profile.last_seen,
                        created_at=at, updated_at=at)
            s.add(row)
            s.flush()
            opened += 1
        profile.id = row.id
        batch.rows[row.id], batch.profiles[row.id] = row, profile
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
    # stored events the replay emptied: their links lead to where most of their members went
    where = {f.id: profile.resolve().id for f, profile, _ in placed}
    for event_id in sorted(set(region) - set(touched)):
        votes: dict[int, int] = {}
        for mid in old_members.get(event_id, ()):
            if mid in where:
                votes[where[mid]] = votes.get(where[mid], 0) + 1
        gone = region[event_id]
        survivor = min(votes, key=lambda e: (-votes[e], e)) if votes else None
        s.execute(update(Event).where(Event.merged_into == event_id).values(merged_into=survivor)
                  .execution_options(**quick))
        gone.merged_into, gone.mentions = survivor, 0
        gone.dormant, gone.stale, gone.updated_at = True, survivor is None, at
    for event_id, profile in touched.items():
        row = batch.rows[event_id]
        row.terms = dict(profile.terms)          # as held in memory: a later batch reads the same
        row.grouping = _grouping(profile)
        row.mentions = profile.members
        row.first_seen_at, row.last_seen_at = profile.first_seen, profile.last_seen
        row.topic_id, row.place_id = profile.topic_id, profile.place_id
        row.communities = sorted(profile.communities)
        row.anchors = sorted(profile.anchors)
        row.merged_into = None
        row.stale, row.dormant, row.updated_at = True, False, at
    ids = sorted(touched)
    for part in _chunks(ids):
        s.execute(delete(EventKey).where(EventKey.event_id.in_(part)).execution_options(**quick))
    s.flush()
    rows = [{"key": k, "event_id": event_id} for event_id in ids for k in sorted(touched[event_id].keys())]
    if rows:
        s.execute(insert(EventKey), rows)
    s.flush()
    return opened

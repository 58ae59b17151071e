"""Hourly rollups of negative mentions, so detection reads its 14-day baseline from a small
table instead of the mentions (migration 0004_rollups).

`mention_rollups` holds one row per hour × topic (''= none, 未归类) × place ('' = none) ×
source: the negative items, and the distinct stories of that (hour, topic, place) whose
first copy in the hour (lowest mention id) came from that source. Summing `stories` over
sources therefore gives the distinct stories of an (hour, topic, place) exactly, and summing
items × the source's authority weight gives the weighted volume. Rows are keyed by source,
not by channel or authority: which channel a source is and how much it weighs are config,
read when detection reads the rollups, so changing them needs no rebuild. A source names its
channel, so this is the topic × place × channel rollup, one level finer.

An hour is the bucket (end − 1 h, end], keyed by its end, like every detection window
(lo, hi]: a window whose ends fall on whole hours is exactly a set of buckets.

How rollups stay right. Triggers (SQLite and PostgreSQL, in the migration) append the
publication time of every negative mention that is analysed, inserted, relabelled (sentiment,
topic, place, story, source, publication time — any path: analysis, re-analysis after a
re-crawl, an import, a correction) or deleted to `rollup_queue`, in the transaction that makes
the change. `catch_up` (run by detection before it reads, and by `yuqing rollups`) takes the
queued hours, recomputes each from the mentions of that hour alone (a bounded, indexed range)
and deletes exactly the queue rows it read. A queue row committed after the read stays for the
next run; one that was read belongs to a transaction that had committed, so the recompute,
which starts later, sees its change. Recomputing is idempotent, so parallel analysis workers,
late items and repeated runs need no coordination beyond one catch-up at a time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import Integer, String, and_, delete, func, insert, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage import sqlite_triggers
from yuqing.storage.models import Base, Mention, MentionTopic

HOUR = timedelta(hours=1)
NONE = ""                     # topic or place: none (未归类 / 不明)
CATCH_UP_LOCK = 7242718       # pg_advisory_xact_lock key: one catch-up at a time
QUEUE_BATCH = 50000           # queue rows read per step
HOURS_PER_STEP = 24           # hours recomputed per transaction
GAP_CAP = 48                  # hours: story-hour gaps are exact below this (windows ≤ 48 h)


class MentionRollup(Base):
    """Negative mentions of one hour × topic × place × source (see the module's docstring)."""

    __tablename__ = "mention_rollups"
    hour: Mapped[datetime] = mapped_column(primary_key=True)      # bucket (hour − 1 h, hour]
    topic_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    place_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    gap: Mapped[int] = mapped_column(Integer, primary_key=True)   # hours since the story's last hour
    items: Mapped[int] = mapped_column(Integer)
    stories: Mapped[int] = mapped_column(Integer)


class RollupChange(Base):
    """An hour whose rollup rows changed (`hour` NULL: any hour — a rebuild), in the order the
    changes were made: a reader that remembers the highest id it has seen knows, from the
    rows after it, whether what it derived from some hours still holds (storage/detect_cache.py)."""

    __tablename__ = "rollup_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    hour: Mapped[datetime | None]


class RollupQueue(Base):
    """A changed negative mention: its publication time (or fetch time), whose hour needs
    recomputing, and its story, whose other copies' hours may need it too."""

    __tablename__ = "rollup_queue"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime | None]
    story_id: Mapped[int | None]


_WHEN_NEW = "coalesce(NEW.published_at, NEW.fetched_at), NEW.story_id"
_WHEN_OLD = "coalesce(OLD.published_at, OLD.fetched_at), OLD.story_id"
_COLUMNS = ("negative", "published_at", "fetched_at", "place_id", "story_id", "source_id")
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _COLUMNS)
_OF_MENTION = "SELECT coalesce(published_at, fetched_at), story_id FROM mentions WHERE id = {} AND negative"
# SQLite's triggers (PostgreSQL's are in migration 0004_rollups). They live outside the
# migrations because SQLite batch migrations recreate the mentions table, which drops the
# triggers on it and fails on those that name it: storage.db.upgrade drops them before
# migrating and installs them after.
SQLITE_TRIGGERS = {
    "rollup_mention_insert": f"""AFTER INSERT ON mentions WHEN NEW.negative
        BEGIN INSERT INTO rollup_queue(at, story_id) VALUES ({_WHEN_NEW}); END""",
    "rollup_mention_update": f"""AFTER UPDATE OF {', '.join(_COLUMNS)} ON mentions
        WHEN (OLD.negative OR NEW.negative) AND ({_CHANGED})
        BEGIN
          INSERT INTO rollup_queue(at, story_id) SELECT {_WHEN_OLD} WHERE OLD.negative;
          INSERT INTO rollup_queue(at, story_id) SELECT {_WHEN_NEW} WHERE NEW.negative
            AND (NOT OLD.negative OR coalesce(NEW.published_at, NEW.fetched_at)
                 IS NOT coalesce(OLD.published_at, OLD.fetched_at) OR NEW.story_id IS NOT OLD.story_id);
        END""",
    "rollup_mention_delete": f"""AFTER DELETE ON mentions WHEN OLD.negative
        BEGIN INSERT INTO rollup_queue(at, story_id) VALUES ({_WHEN_OLD}); END""",
    "rollup_topic_insert": f"""AFTER INSERT ON mention_topics
        BEGIN INSERT INTO rollup_queue(at, story_id) {_OF_MENTION.format('NEW.mention_id')}; END""",
    "rollup_topic_delete": f"""AFTER DELETE ON mention_topics
        BEGIN INSERT INTO rollup_queue(at, story_id) {_OF_MENTION.format('OLD.mention_id')}; END""",
    "rollup_topic_update": f"""AFTER UPDATE OF topic_id, mention_id ON mention_topics
        BEGIN INSERT INTO rollup_queue(at, story_id) {_OF_MENTION.format('OLD.mention_id')};
              INSERT INTO rollup_queue(at, story_id) {_OF_MENTION.format('NEW.mention_id')}; END""",
}


def drop_sqlite_triggers(conn) -> None:
    sqlite_triggers.drop(conn, SQLITE_TRIGGERS)


def install_sqlite_triggers(conn) -> None:
    """After migrating a SQLite store that has the rollup_queue table."""
    sqlite_triggers.install(conn, SQLITE_TRIGGERS, "rollup_queue")


def bucket(when: datetime) -> datetime:
    """The end of the hour bucket holding `when`: (end − 1 h, end]."""
    when = when.astimezone(timezone.utc)
    floor = when.replace(minute=0, second=0, microsecond=0)
    return floor if floor == when else floor + HOUR


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _negative_rows(conn, where):
    """(id, when, topic, place, source, story) of negative mentions, one row per topic."""
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    return conn.execute(select(Mention.id, when, MentionTopic.topic_id, Mention.place_id, Mention.source_id,
                               Mention.story_id)
                        .outerjoin(MentionTopic, MentionTopic.mention_id == Mention.id)
                        .where(Mention.negative.is_(True), where))


def _in_range(lo: datetime, hi: datetime):
    return or_(and_(Mention.published_at > lo, Mention.published_at <= hi),
               and_(Mention.published_at.is_(None), Mention.fetched_at > lo, Mention.fetched_at <= hi))


def _hour_rows(conn, lo: datetime, hi: datetime) -> list[dict]:
    """Rollup rows for the buckets in (lo, hi] (whole hours), from the mentions.

    A story's negative copies in one (topic, place) and hour are one *story-hour*, carried
    by the source of its first copy there (earliest publication, then lowest id). `gap` is
    the hours since the story's previous story-hour in that (topic, place): 0 for its first
    (a new story), GAP_CAP for GAP_CAP hours or more. `stories` counts story-hours, `items`
    copies. The distinct stories of a window (a, b] of whole hours are then exactly the
    story-hours h in it whose gap is 0 or ≥ h − a (their previous copy lies before the
    window), for windows up to GAP_CAP hours."""
    copies: dict[tuple, list[tuple]] = defaultdict(list)   # (topic, place, story) -> [(when, id, source)]
    linked: set[int] = set()
    for mid, at, topic, place, source, story in _negative_rows(conn, _in_range(lo, hi)):
        key = (topic or NONE, place or NONE, story if story is not None else -mid)
        copies[key].append((_aware(at), mid, source))
        if story is not None:
            linked.add(story)
    # a story's earlier story-hours may lie outside these hours: read all its copies
    ids = sorted(linked)
    for key in [k for k in copies if k[2] >= 0]:
        del copies[key]
    for i in range(0, len(ids), 500):
        for mid, at, topic, place, source, story in _negative_rows(conn, Mention.story_id.in_(ids[i:i + 500])):
            copies[(topic or NONE, place or NONE, story)].append((_aware(at), mid, source))
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (topic, place, _), found in copies.items():
        found.sort()
        previous = None
        for at, _, source in found:
            hour = bucket(at)
            if hour != previous:
                gap = 0 if previous is None else min(int((hour - previous) / HOUR), GAP_CAP)
                previous, carrier = hour, source
                if lo < at <= hi:
                    cells[(hour, topic, place, carrier, gap)][1] += 1
            if lo < at <= hi:
                cells[(hour, topic, place, source, gap)][0] += 1
    return [{"hour": k[0], "topic_id": k[1], "place_id": k[2], "source_id": k[3], "gap": k[4],
             "items": n, "stories": st} for k, (n, st) in cells.items()]


def _story_hours(conn, stories: set[int]) -> set[datetime]:
    """The hours holding negative copies of these stories: a story's first copy moving (a
    late earlier copy, a relabelled one) moves its count between them."""
    hours: set[datetime] = set()
    ids = sorted(stories)
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    for i in range(0, len(ids), 500):
        for (at,) in conn.execute(select(when).where(Mention.negative.is_(True),
                                                     Mention.story_id.in_(ids[i:i + 500]))):
            hours.add(bucket(_aware(at)))
    return hours


def _recompute(conn, hours: list[datetime]) -> int:
    """Replace the rollups of these buckets; contiguous runs are read as one range."""
    written = 0
    runs: list[list[datetime]] = []
    for hour in sorted(set(hours)):
        if runs and hour - runs[-1][-1] == HOUR and len(runs[-1]) < HOURS_PER_STEP:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    table = MentionRollup.__table__
    cols = [table.c[k] for k in _ROW]
    for run in runs:
        lo, hi = run[0] - HOUR, run[-1]
        before = _by_hour(tuple(r) for r in conn.execute(select(*cols).where(table.c.hour > lo, table.c.hour <= hi)))
        conn.execute(delete(table).where(table.c.hour > lo, table.c.hour <= hi))
        rows = _hour_rows(conn, lo, hi)
        for i in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[i:i + 5000])
        written += len(rows)
        # most recomputed hours come out as they were (a reprint arriving now recomputes the
        # hours of its story's earlier copies): only real changes invalidate what was derived
        after = _by_hour(tuple(r[k] for k in _ROW) for r in rows)
        changed = sorted(h for h in before.keys() | after.keys() if before.get(h) != after.get(h))
        if changed:
            conn.execute(insert(RollupChange.__table__), [{"hour": h} for h in changed])
    return written


_ROW = ("hour", "topic_id", "place_id", "source_id", "gap", "items", "stories")


def _by_hour(rows) -> dict[datetime, set[tuple]]:
    out: dict[datetime, set[tuple]] = defaultdict(set)
    for row in rows:
        out[_aware(row[0])].add(row[1:])
    return out


def _lock(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CATCH_UP_LOCK})


def catch_up(engine) -> int:
    """Recompute the hours the queue names, and the hours of the queued stories' copies;
    returns how many hours were recomputed."""
    queue = RollupQueue.__table__
    done = 0
    while True:
        with engine.begin() as conn:
            _lock(conn)
            rows = conn.execute(select(queue.c.id, queue.c.at, queue.c.story_id).order_by(queue.c.id)
                                .limit(QUEUE_BATCH)).all()
            if not rows:
                return done
            hours = {bucket(_aware(at)) for _, at, _ in rows if at is not None}
            hours |= _story_hours(conn, {story for _, _, story in rows if story is not None})
            hour_list = sorted(hours)
            for i in range(0, len(hour_list), HOURS_PER_STEP * 4):
                _recompute(conn, hour_list[i:i + HOURS_PER_STEP * 4])
            ids = [i for i, _, _ in rows]
            for i in range(0, len(ids), 1000):
                conn.execute(delete(queue).where(queue.c.id.in_(ids[i:i + 1000])))
            done += len(hours)
        if len(rows) < QUEUE_BATCH:
            return done


def _span(conn) -> tuple[datetime, datetime] | None:
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    lo, hi = conn.execute(select(func.min(when), func.max(when)).where(Mention.negative.is_(True))).one()
    if lo is None:
        return None
    lo = lo if lo.tzinfo else lo.replace(tzinfo=timezone.utc)
    hi = hi if hi.tzinfo else hi.replace(tzinfo=timezone.utc)
    return bucket(lo) - HOUR, bucket(hi)


def _rebuild_day(conn, t: datetime, upto: datetime) -> int:
    table = MentionRollup.__table__
    conn.execute(delete(table).where(table.c.hour > t, table.c.hour <= upto))
    batch = _hour_rows(conn, t, upto)
    for i in range(0, len(batch), 5000):
        conn.execute(insert(table), batch[i:i + 5000])
    return len(batch)


def rebuild(engine, progress=None) -> tuple[int, int]:
    """Rebuild every rollup from the mentions (an upgraded store, or a repair); a day at a
    time, each in its own transaction. Returns (hours, rows). Safe while analysis runs: what
    it changes meanwhile is queued and recomputed by the next catch-up."""
    table = MentionRollup.__table__
    with engine.begin() as conn:
        span = _span(conn)
    if span is None:
        with engine.begin() as conn:
            _lock(conn)
            conn.execute(delete(table))
            log_rebuilt(conn)
        return 0, 0
    start, end = span
    # each day is replaced in its own transaction, so detection never sees a half-empty table
    hours = rows = 0
    t = start
    while t < end:
        upto = min(t + timedelta(days=1), end)
        with engine.begin() as conn:
            _lock(conn)
            rows += _rebuild_day(conn, t, upto)
        hours += int((upto - t) / HOUR)
        t = upto
        if progress:
            progress(t, end)
    with engine.begin() as conn:
        _lock(conn)
        conn.execute(delete(table).where(or_(table.c.hour <= start, table.c.hour > end)))
        log_rebuilt(conn)
    return hours, rows


def log_rebuilt(conn) -> None:
    """Every hour may have changed (a rebuild, rollups written by other means)."""
    conn.execute(insert(RollupChange.__table__).values(hour=None))


def rebuild_in(conn) -> int:
    """Roll up a store's whole history inside one transaction (the migration)."""
    span = _span(conn)
    rows = 0
    if span is not None:
        t, end = span
        while t < end:
            upto = min(t + timedelta(days=1), end)
            rows += _rebuild_day(conn, t, upto)
            t = upto
    return rows


def pending(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(RollupQueue.__table__)) or 0

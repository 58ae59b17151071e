"""Mentions holding a critical word (死亡, 受伤, 塌陷, 爆炸 …), matched once and marked, so
detection reads the few marked mentions of its window from an index instead of matching
every word against a day of titles and texts each cycle (migration 0004_critical_marks).

`critical_marks` holds the mentions whose title or first TEXT_SCANNED characters contain a
word of the configured list, with their time (publication, else fetch). `critical_state`
says which list the marks were made with (a fingerprint of the words) and from when on they
are complete (`since`: every mention whose time is later is marked if and only if it
matches).

How the marks stay right — the rollups' scheme (storage/rollups.py). Triggers (SQLite here,
installed by storage.db.upgrade; PostgreSQL in the migration) queue a mention's id in
`critical_queue` when it is inserted or its title, text or times change, in the changing
transaction, whatever path changes it (crawl, re-crawl, import, correction). `refresh`, run
by detection before it reads, re-matches the queued mentions and deletes exactly the queue
rows it read; a row committed after that read is handled next time. A changed word list
(config) clears the marks and matches the range detection reads again; a detection run
reading further back than `since` (a replay of an earlier day) first matches the missing
range. Marks depend only on text and time, never on analysis, so re-analysis needs nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from sqlalchemy import Integer, String, and_, delete, func, insert, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage import sqlite_triggers
from yuqing.storage.models import Base, Mention
from yuqing.storage.types import AwareDateTime

TEXT_SCANNED = 300            # an incident report says what happened in its title or lede
REFRESH_LOCK = 7242719        # pg_advisory_xact_lock key: one refresh at a time
QUEUE_BATCH = 20000


class CriticalMark(Base):
    """A mention whose title or lede holds a critical word (see the module's docstring)."""

    __tablename__ = "critical_marks"
    mention_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)   # publication, else fetch


class CriticalQueue(Base):
    __tablename__ = "critical_queue"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(Integer)


class CriticalState(Base):
    """One row: the word list's fingerprint and from when on the marks are complete."""

    __tablename__ = "critical_state"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    words: Mapped[str] = mapped_column(String(64))
    since: Mapped[datetime] = mapped_column(AwareDateTime())


_CHANGED = ("title", "content", "published_at", "fetched_at")
# SQLite's triggers (PostgreSQL's are in migration 0004_critical_marks); outside the
# migrations because SQLite batch migrations recreate the mentions table (see rollups).
SQLITE_TRIGGERS = {
    "critical_mention_insert": """AFTER INSERT ON mentions
        BEGIN INSERT INTO critical_queue(mention_id) VALUES (NEW.id); END""",
    "critical_mention_update": f"""AFTER UPDATE OF {', '.join(_CHANGED)} ON mentions
        WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in _CHANGED)}
        BEGIN INSERT INTO critical_queue(mention_id) VALUES (NEW.id); END""",
}


def drop_sqlite_triggers(conn) -> None:
    sqlite_triggers.drop(conn, SQLITE_TRIGGERS)


def install_sqlite_triggers(conn) -> None:
    """After migrating a SQLite store that has the critical_queue table."""
    sqlite_triggers.install(conn, SQLITE_TRIGGERS, "critical_queue")


def fingerprint(words) -> str:
    return hashlib.sha1(json.dumps([sorted(set(words)), TEXT_SCANNED], ensure_ascii=False).encode()).hexdigest()


def hit(words):
    """SQL: the mention's title or lede holds one of the words."""
    head = func.substr(Mention.content, 1, TEXT_SCANNED)
    return or_(*[Mention.title.contains(w, autoescape=True) for w in words],
               *[head.contains(w, autoescape=True) for w in words])


def _when():
    return func.coalesce(Mention.published_at, Mention.fetched_at)


def _after(lo: datetime, hi: datetime | None = None):
    """Mentions whose time is in (lo, hi], as two indexable terms (see series.in_range)."""
    pub = [Mention.published_at > lo] + ([Mention.published_at <= hi] if hi else [])
    fetched = [Mention.fetched_at > lo] + ([Mention.fetched_at <= hi] if hi else [])
    return or_(and_(*pub), and_(Mention.published_at.is_(None), *fetched))


def _mark(conn, words, where) -> None:
    conn.execute(insert(CriticalMark.__table__).from_select(
        ["mention_id", "at"], select(Mention.id, _when()).where(where, hit(words))))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def refresh(engine, words, since: datetime) -> None:
    """Bring the marks up to date for the word list, complete for every mention later than
    `since`: the queued mentions re-matched, a changed list or a range not yet covered
    matched from the mentions."""
    marks, queue, state = CriticalMark.__table__, CriticalQueue.__table__, CriticalState.__table__
    words = sorted(set(words))
    print_ = fingerprint(words)
    while True:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REFRESH_LOCK})
            rows = conn.execute(select(queue.c.id, queue.c.mention_id).order_by(queue.c.id)
                                .limit(QUEUE_BATCH)).all()
            ids = sorted({mid for _, mid in rows})
            for i in range(0, len(ids), 1000):
                chunk = ids[i:i + 1000]
                conn.execute(delete(marks).where(marks.c.mention_id.in_(chunk)))
                if words:
                    _mark(conn, words, Mention.id.in_(chunk))
            done = [qid for qid, _ in rows]
            for i in range(0, len(done), 1000):
                conn.execute(delete(queue).where(queue.c.id.in_(done[i:i + 1000])))
            if len(rows) < QUEUE_BATCH:
                current = conn.execute(select(state.c.words, state.c.since)).first()
                if current is None or current[0] != print_:
                    conn.execute(delete(marks))
                    conn.execute(delete(state))
                    if words:
                        _mark(conn, words, _after(since))
                    conn.execute(insert(state).values(id=1, words=print_, since=since))
                elif _aware(current[1]) > since:
                    # an earlier range than ever read: mark it (the marks in it came from
                    # the queue and are redone with it)
                    old = _aware(current[1])
                    conn.execute(delete(marks).where(marks.c.at > since, marks.c.at <= old))
                    if words:
                        _mark(conn, words, _after(since, old))
                    conn.execute(state.update().values(since=since))
                return


def marked(since: datetime):
    """SQL: ids of the marked mentions later than `since` (after `refresh(…, since)`)."""
    return select(CriticalMark.mention_id).where(CriticalMark.at > since)

"""How several analysis workers share the pending mentions (并行分析).

PostgreSQL: each batch claims its rows with `SELECT … FOR UPDATE SKIP LOCKED`, so workers take
disjoint batches and a mention is analysed by whoever committed it, exactly once; a worker that
dies rolls back and its rows are pending again. The CPU-heavy part (sentiment, topics, places,
signatures) runs in parallel; only story grouping is serialised, by a transaction-level advisory
lock held until commit, so that copies of one story analysed by two workers at once still land in
one story: whoever takes the lock next first reads the stories the others committed.

SQLite has no row locks to skip: a whole batch runs under a lock file next to the database, so
several workers there are safe but take turns (one worker is the supported set-up on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Select, text
from sqlalchemy.orm import Session

from yuqing.storage.db import Database

STORY_LOCK = 0x79717374          # "yqst": shared by every analysis worker of one database


def claim(query: Select, session: Session) -> Select:
    """The pending-mentions query, locking what it returns and skipping what others locked."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def serialise_stories(session: Session) -> None:
    """Wait for the right to group into stories; held until this transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORY_LOCK})


@contextmanager
def batch_lock(db: Database) -> Iterator[None]:
    """SQLite only: one batch at a time across processes (a lock file beside the database)."""
    path = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.analyse.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

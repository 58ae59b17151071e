"""Engine and sessions: SQLite (WAL, busy timeout) by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from yuqing.paths import default_database_url

T = TypeVar("T")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x79757169      # "yuqi": any fixed number shared by all yuqing processes


def database_url(configured: str | None = None) -> str:
    """YUQING_DATABASE_URL wins over the config, which wins over the SQLite default."""
    return os.environ.get("YUQING_DATABASE_URL") or configured or default_database_url()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            # WAL lets the crawler write while detection and the dashboard read.
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    engine = create_engine(url)
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE = 2.0    # seconds a pooled connection may rest before it is checked on checkout


def _ping_when_idle(engine: Engine) -> None:
    """pool_pre_ping, but only for a connection that rested in the pool: pinging on every
    checkout cost a crawl worker a round trip per stored item (issue 18). A connection used
    within the last seconds is alive unless the server went away in those seconds, which fails
    that one transaction and makes the pool replace all its connections, as any disconnect."""

    @event.listens_for(engine, "checkin")
    def _rested_from(_dbapi_conn, record):
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        rested = record.info.pop("checked_in", None)
        if rested is None or time.monotonic() - rested < PING_AFTER_IDLE:
            return                   # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:     # noqa: BLE001 - the pool connects anew and retries
            raise DisconnectionError() from exc


class Database:
    """One engine and session factory per process, passed to every stage."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short transaction: commit on success, roll back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def migrate(self) -> None:
        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _sqlite_file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # the scheduler, the web server and a CLI may start at the same instant: one
            # migrates, the others wait for its commit and then find nothing to do
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        from yuqing.storage import critical, rollups

        sqlite = conn.dialect.name == "sqlite"
        if sqlite and _pending(cfg, conn):
            # batch migrations recreate tables (dropping triggers on them): the rollup and
            # critical-mark triggers are installed again after
            rollups.drop_sqlite_triggers(conn)
            critical.drop_sqlite_triggers(conn)
        # "heads": independent branches (one per area) may coexist until merged
        command.upgrade(cfg, "heads")
        if sqlite:
            rollups.install_sqlite_triggers(conn)
            critical.install_sqlite_triggers(conn)


def _pending(cfg, conn) -> bool:
    """Whether any migration is still to run on this store."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = set(MigrationContext.configure(conn).get_current_heads())
    return current != set(ScriptDirectory.from_config(cfg).get_heads())


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """SQLite has no advisory locks and starts its write lock lazily, so two processes
    migrating a new file would both create tables: serialise them on a lock file instead."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.migrate.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_database(url: str | None = None, migrate: bool = True) -> Database:
    db = Database(database_url(url))
    if migrate:
        db.migrate()
    return db


def is_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def retry_locked(func: Callable[..., T] | None = None, *, attempts: int = 6, delay: float = 0.2):
    """Retry a whole transaction when SQLite says 'database is locked' past its busy timeout."""

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def inner(*args, **kwargs) -> T:
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except OperationalError as exc:
                    if not is_locked(exc) or attempt == attempts - 1:
                        raise
                    time.sleep(delay * (2 ** attempt))
            raise AssertionError("unreachable")

        return inner

    return wrap(func) if func else wrap

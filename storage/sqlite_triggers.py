"""SQLite triggers kept outside the migrations: a SQLite batch migration recreates `mentions`
and drops every trigger on it, so storage.db.upgrade puts them back afterwards."""

from __future__ import annotations

from sqlalchemy import text


def drop(conn, triggers: dict[str, str]) -> None:
    for name in triggers:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def install(conn, triggers: dict[str, str], queue: str) -> None:
    """Create the missing ones of `triggers`, on a store that has their `queue` table."""
    names = {r[0] for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"))}
    if queue not in names:
        return
    for name, body in triggers.items():
        if name not in names:       # no DDL (a write) when they are all there
            conn.execute(text(f"CREATE TRIGGER {name} {body}"))

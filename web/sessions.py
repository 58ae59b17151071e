"""Server-side sessions: the signed cookie carries a random token; the row decides.

A session ends after IDLE without a request or LIFETIME after login, whichever comes first
(the cookie alone used to slide forever), and at once on logout, on a password change
(all the user's sessions) and on `yuqing users passwd`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete

from yuqing.storage.db import Database
from yuqing.storage.sessions import WebSession
from yuqing.timeutil import now

IDLE = timedelta(hours=12)            # one shift and a bit
LIFETIME = timedelta(hours=24)
TOUCH_EVERY = timedelta(minutes=1)    # not one write per page view


def _id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, user_id: int, address: str = "") -> str:
    token = secrets.token_urlsafe(32)
    at = now()
    with db.session() as s:
        s.add(WebSession(id=_id(token), user_id=user_id, created_at=at, last_seen_at=at,
                         address=address[:64]))
    return token


def user_of(db: Database, token: str | None) -> int | None:
    """The session's user, or None when it is unknown, ended or expired."""
    if not token:
        return None
    at = now()
    with db.session() as s:
        row = s.get(WebSession, _id(token))
        if row is None:
            return None
        if at - row.last_seen_at > IDLE or at - row.created_at > LIFETIME:
            s.delete(row)
            return None
        if at - row.last_seen_at > TOUCH_EVERY:
            row.last_seen_at = at
        return row.user_id


def end(db: Database, token: str | None) -> None:
    if token:
        with db.session() as s:
            s.execute(delete(WebSession).where(WebSession.id == _id(token)))


def end_all(db: Database, user_id: int, keep: str | None = None) -> int:
    """End every session of a user (password changed), except `keep` (the one changing it)."""
    with db.session() as s:
        query = delete(WebSession).where(WebSession.user_id == user_id)
        if keep:
            query = query.where(WebSession.id != _id(keep))
        return s.execute(query).rowcount or 0

"""What detection derived from the hourly rollups, kept between cycles (migration
0002_detect_cache).

Detection runs as a fresh process every few minutes, so nothing it computed survives in
memory. Its baseline is read from whole hours that end at least a day before the current
one: all cycles of an hour read the very same rollup rows, unless some of those hours were
recomputed with a different result in between. `rollup_changes` (storage/rollups.py) lists
such hours in order; an entry here remembers the highest change id it had seen and the hours
(lo, hi] it was derived from, and holds as long as no later change falls in them. `stamp`
says what else it was derived from (the hour it was read at, windows and weights from the
config, the code's layout): a different stamp is a miss.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Integer, String, Text, delete, exc, func, insert, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.storage.rollups import RollupChange


class DetectCache(Base):
    __tablename__ = "detect_cache"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64))
    seen: Mapped[int] = mapped_column(Integer)          # highest rollup_changes id when derived
    lo: Mapped[datetime]                                 # the hours it was derived from: (lo, hi]
    hi: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)             # JSON


def last_change(conn) -> int:
    return conn.scalar(select(func.max(RollupChange.id))) or 0


def get(conn, name: str, stamp: str):
    """The entry's body when it still holds, else None."""
    row = conn.execute(select(DetectCache.stamp, DetectCache.seen, DetectCache.lo, DetectCache.hi,
                              DetectCache.body).where(DetectCache.name == name)).first()
    if row is None or row.stamp != stamp:
        return None
    hour = RollupChange.hour
    stale = conn.scalar(select(RollupChange.id).where(
        RollupChange.id > row.seen, or_(hour.is_(None), (hour > row.lo) & (hour <= row.hi))).limit(1))
    return None if stale is not None else json.loads(row.body)


def put(engine, name: str, stamp: str, seen: int, lo: datetime, hi: datetime, body) -> None:
    """Replace the entry; change-log rows no entry can need any more are pruned. Two cycles
    writing at once: one of them keeps its entry, the other's is simply not kept."""
    table = DetectCache.__table__
    try:
        with engine.begin() as conn:
            conn.execute(delete(table).where(table.c.name == name))
            conn.execute(insert(table).values(name=name, stamp=stamp, seen=seen, lo=lo, hi=hi,
                                              body=json.dumps(body, separators=(",", ":"))))
            oldest = conn.scalar(select(func.min(table.c.seen)))
            changes = RollupChange.__table__
            # below the oldest entry's mark, never the newest row: SQLite reuses the ids of a
            # table emptied at its top, and a reused id would not look new
            conn.execute(delete(changes).where(changes.c.id < oldest))
    except exc.IntegrityError:
        pass

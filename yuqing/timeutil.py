"""Time helpers: everything is stored aware, compared in UTC, shown in Asia/Shanghai."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """Current time, aware. YUQING_NOW (ISO 8601) pins it, for simulations and tests;
    YUQING_CLOCK_SHIFT (seconds) moves a running clock, so the whole system — every child
    process too — can be rehearsed at another hour (scripts/at-clock 02:00 make test)."""
    pinned = os.environ.get("YUQING_NOW")
    if pinned:
        return as_aware(datetime.fromisoformat(pinned))
    real = datetime.now(timezone.utc)
    shift = os.environ.get("YUQING_CLOCK_SHIFT")
    return real + timedelta(seconds=float(shift)) if shift else real


def as_aware(value: datetime) -> datetime:
    """Naive datetimes from Chinese sites are local time, never UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value


def local(value: datetime) -> datetime:
    return as_aware(value).astimezone(SHANGHAI)


def fmt(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """Format for people: Asia/Shanghai, or a dash when unknown."""
    if value is None:
        return "—"
    return local(value).strftime(pattern)

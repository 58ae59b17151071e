"""Time helpers: everything is stored aware, compared in UTC, shown in Asia/Shanghai."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """Current time, aware. YUQING_NOW (ISO 8601) pins it, for simulations and tests."""
    pinned = os.environ.get("YUQING_NOW")
    if pinned:
        return as_aware(datetime.fromisoformat(pinned))
    return datetime.now(timezone.utc)


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

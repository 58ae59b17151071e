"""Small value types shared by the config models."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|秒|分钟|小时|天)\s*$")
_UNITS = {"s": 1, "秒": 1, "m": 60, "分钟": 60, "h": 3600, "小时": 3600, "d": 86400, "天": 86400}


def parse_duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"时长“{value}”无法识别，应写作 30m、5h、2d 这样的形式")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_since(text: str) -> datetime:
    """A `--since` argument: a duration back from now (12h, 2d) or an ISO time."""
    from yuqing.timeutil import as_aware, now

    try:
        return now() - parse_duration(text)
    except ValueError:
        pass
    try:
        return as_aware(datetime.fromisoformat(text))
    except ValueError:
        raise SystemExit(f"无法识别的时间“{text}”：请写 ISO 时间（2024-07-01T08:00）或时长（12h、2d）") from None


def parse_clock(value: object) -> time:
    if isinstance(value, time):
        return value
    match = re.match(r"^\s*(\d{1,2}):(\d{2})\s*$", str(value))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"时刻“{value}”无法识别，应写作 08:00 这样的形式")
    return time(int(match.group(1)), int(match.group(2)))


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(str)]
Clock = Annotated[time, BeforeValidator(parse_clock), PlainSerializer(str)]

SEVERITIES = ("一般", "较大", "重大", "特别重大")


def severity_rank(level: str) -> int:
    return SEVERITIES.index(level)


class Strict(BaseModel):
    """Every config model rejects unknown keys: a typo must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

"""Chinese date and time expressions -> aware datetimes in Asia/Shanghai.

Naive times on Chinese sites are Beijing time, never UTC. Times without a year ("07-01 10:00",
"7月1日") and relative ones ("3小时前", "昨天 10:00") are resolved against the fetch time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
MIN_YEAR, MAX_YEAR = 1990, 2100

_SEP = r"\s*[-/.年]\s*"
_TIME = (r"(?:[\sT日]*(?:(?P<ampm1>上午|下午|晚上|凌晨|中午)\s*)?"
         r"(?P<H>[01]?\d|2[0-3])\s*[:：时点]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d)(?:\.\d+)?)?"
         r"\s*(?:秒|分)?(?:\s*(?P<ampm2>AM|PM|am|pm))?"
         r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2})(?![\d:]))?)?")
_FULL = re.compile(
    r"(?<!\d)(?<!\d\.)(?P<y>(?:19|20)\d{2})" + _SEP + r"(?P<m>1[0-2]|0?[1-9])" + r"\s*[-/.月]\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?(?:-(?=\d{2}:))?" + _TIME)
# Baidu-style "18-03-08 23:16" / "18-03-0823:16": a two-digit year, only with a time of day.
_SHORT_YEAR = re.compile(r"(?<![\d.\-/:])(?P<y>[012]\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
                         r"(?=\s*(?:[01]?\d|2[0-3])[:：][0-5]\d)" + _TIME)
_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>1[0-2]|0[1-9])(?P<d>3[01]|[12]\d|0[1-9])"
                      r"(?:(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?!\d)")
_MONTH_DAY = re.compile(r"(?<![\d.\-/])(?P<m>1[0-2]|0?[1-9])\s*(?:月|-|/)\s*(?P<d>3[01]|[12]\d|0?[1-9])"
                        r"(?!\d)\s*日?" + _TIME)
_RELATIVE = re.compile(r"(?P<n>\d+|半|一|两|几)\s*(?:个)?\s*(?P<unit>秒|分钟|分|小时|钟头|天|日|周|星期|月)\s*(?:钟)?前")
_DAYWORD = re.compile(r"(?P<w>刚刚|今天|今日|昨天|昨日|前天)" + _TIME)
_EPOCH = re.compile(r"^\s*(?P<e>1\d{9}|1\d{12})\s*$")

_UNITS = {"秒": 1, "分钟": 60, "分": 60, "小时": 3600, "钟头": 3600, "天": 86400, "日": 86400,
          "周": 604800, "星期": 604800, "月": 2592000}
_DAYWORDS = {"刚刚": 0, "今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}


@dataclass(frozen=True)
class Found:
    """A date found in running text: where, what, and how precise it is."""

    start: int
    end: int
    value: datetime
    has_time: bool
    relative: bool = False


def _now(now: datetime | None) -> datetime:
    if now is None:
        from yuqing.timeutil import now as current    # YUQING_NOW pins "3小时前" too

        return current().astimezone(SHANGHAI)
    return now.replace(tzinfo=SHANGHAI) if now.tzinfo is None else now.astimezone(SHANGHAI)


def _hour(m: re.Match) -> int | None:
    if not m.group("H"):
        return None
    hour = int(m.group("H"))
    ampm = m.group("ampm1") or m.group("ampm2") or ""
    if ampm.lower() in ("pm", "下午", "晚上") and hour < 12:
        hour += 12
    elif ampm.lower() in ("am", "凌晨", "上午") and hour == 12:
        hour = 0
    return hour


def _build(m: re.Match, year: int, now: datetime | None = None) -> tuple[datetime, bool] | None:
    try:
        hour = _hour(m)
        value = datetime(year, int(m.group("m")), int(m.group("d")), hour or 0,
                         int(m.group("M") or 0) if hour is not None else 0,
                         int(m.group("S") or 0) if hour is not None else 0)
    except (ValueError, TypeError):
        return None
    tz = m.groupdict().get("tz")
    if tz:
        if tz == "Z":
            aware = value.replace(tzinfo=timezone.utc)
        else:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            aware = value.replace(tzinfo=timezone(sign * offset))
        return aware.astimezone(SHANGHAI), True
    return value.replace(tzinfo=SHANGHAI), hour is not None


def from_epoch(raw: str | int | float) -> datetime | None:
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    if number > 1e12:
        number /= 1000.0
    if not (631152000 <= number <= 4102444800):  # 1990..2100
        return None
    return datetime.fromtimestamp(number, SHANGHAI)


def find_datetimes(text: str, now: datetime | None = None, relative: bool = True) -> list[Found]:
    """All absolute (and optionally relative) datetimes in text, in order of appearance."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(text):
        built = _build(m, int(m.group("y")))
        if built and MIN_YEAR <= built[0].year <= MAX_YEAR:
            found.append(Found(m.start(), m.end(), built[0], built[1]))
            taken.append((m.start(), m.end()))
    for m in _SHORT_YEAR.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        built = _build(m, 2000 + int(m.group("y")))
        if built and built[1]:
            found.append(Found(m.start(), m.end(), built[0], built[1]))
            taken.append((m.start(), m.end()))
    if relative:
        base = _now(now)
        for m in _DAYWORD.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            day = (base - timedelta(days=_DAYWORDS[m.group("w")])).replace(second=0, microsecond=0)
            hour = _hour(m)
            if hour is not None:
                day = day.replace(hour=hour, minute=int(m.group("M")))
            elif m.group("w") != "刚刚":
                day = day.replace(hour=0, minute=0)
            found.append(Found(m.start(), m.end(), day, hour is not None or m.group("w") == "刚刚", True))
        for m in _RELATIVE.finditer(text):
            n = {"半": 0.5, "一": 1, "两": 2, "几": 3}.get(m.group("n")) or float(m.group("n"))
            value = (base - timedelta(seconds=n * _UNITS[m.group("unit")])).replace(microsecond=0)
            found.append(Found(m.start(), m.end(), value, _UNITS[m.group("unit")] < 86400, True))
    found.sort(key=lambda f: f.start)
    return found


def parse_chinese_datetime(text: str, now: datetime | None = None) -> datetime | None:
    """The first date expression in text, aware in Asia/Shanghai; None when there is none."""
    if not text or not isinstance(text, str):
        return None
    text = text.strip()
    epoch = _EPOCH.match(text)
    if epoch:
        return from_epoch(epoch.group("e"))
    found = find_datetimes(text, now)
    if found:
        return found[0].value
    compact = _COMPACT.search(text)
    if compact:
        try:
            hour = int(compact.group("H")) if compact.group("H") else 0
            value = datetime(int(compact.group("y")), int(compact.group("m")), int(compact.group("d")),
                             hour, int(compact.group("M") or 0), int(compact.group("S") or 0))
            return value.replace(tzinfo=SHANGHAI)
        except ValueError:
            pass
    m = _MONTH_DAY.search(text)
    if m:
        base = _now(now)
        built = _build(m, base.year)
        if built:
            value = built[0]
            # "12-31" read on 1 January is last year's, not a date in the future.
            if value - base > timedelta(days=2):
                built = _build(m, base.year - 1)
                value = built[0] if built else value
            return value
    return None


def has_time(text: str) -> bool:
    """Whether the first date in text carries a time of day (for to-the-minute comparisons)."""
    found = find_datetimes(text, relative=False)
    return bool(found and found[0].has_time)

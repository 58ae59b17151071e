"""Quiet hours (静默时段): low severities wait for morning; urgent ones never wait.

A department's own `quiet_hours` in departments.yaml wins over the global delivery
settings, so a street office with a night duty desk can receive at any hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from yuqing.config.models import Config
from yuqing.config.types import parse_clock, severity_rank
from yuqing.timeutil import local


@dataclass(frozen=True)
class Quiet:
    start: time
    end: time
    hold_below: str

    def contains(self, at: datetime) -> bool:
        t = local(at).time()
        if self.start == self.end:
            return False                       # no quiet hours at all
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def ends_after(self, at: datetime) -> datetime:
        """The first end of quiet hours after `at`: when held messages go out."""
        morning = local(at).replace(hour=self.end.hour, minute=self.end.minute,
                                    second=0, microsecond=0)
        return morning if morning > local(at) else morning + timedelta(days=1)


def quiet_for(config: Config, department_id: str) -> Quiet:
    own = next((d.quiet_hours for d in config.departments if d.id == department_id), None)
    if own is not None:
        return Quiet(parse_clock(own.start), parse_clock(own.end), own.hold_below)
    d = config.settings.delivery
    return Quiet(d.quiet_start, d.quiet_end, d.quiet_hold_below)


def held_until(config: Config, department_id: str, severity: str | None,
               at: datetime) -> datetime | None:
    """When a message of this severity to this department may go, if not now."""
    quiet = quiet_for(config, department_id)
    if severity is None or not quiet.contains(at):
        return None
    if severity_rank(severity) >= severity_rank(quiet.hold_below):
        return None
    return quiet.ends_after(at)

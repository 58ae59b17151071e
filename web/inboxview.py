"""What the inbox shows per warning: this department's own duty and clocks first.

A department user sees its own 签收时限 / 回应时限 on every row; the duty office sees its own
and, per department, who is overdue or due soon.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from yuqing.alerts.duties import closing_rows, clock_state, duty_line
from yuqing.config.models import Config
from yuqing.storage.models import Assignment, Warning


@dataclass
class InboxCard:
    warning: Warning
    mine: Assignment | None
    line: str                         # 本单位职责：处置 — 请于 19:45 前签收，23:45 前回应
    clock: str                        # overdue / due_soon / ok / done, for this department
    ack_by: datetime | None
    respond_by: datetime | None
    others: list[tuple[str, str, str]] = field(default_factory=list)   # name, role, clock

    @property
    def order(self) -> tuple:
        rank = {"overdue": 0, "due_soon": 1, "ok": 2, "done": 3}[self.clock]
        nearest = min((d.timestamp() for d in (self.ack_by, self.respond_by) if d), default=float("inf"))
        return rank, nearest, -self.warning.id


def inbox_card(config: Config, w: Warning, department_id: str | None, at: datetime) -> InboxCard:
    names = {d.id: d.name for d in config.departments}
    mine = next((a for a in w.assignments if a.active and a.department_id == department_id), None)
    active = [a for a in w.assignments if a.active]
    others = [(names.get(a.department_id, a.department_id), a.role, clock_state(a, at))
              for a in active if a is not mine]
    if mine is not None:
        return InboxCard(w, mine, duty_line(mine, at), clock_state(mine, at),
                         mine.acknowledge_by if mine.acknowledged_at is None else None,
                         mine.respond_by if mine.responded_at is None else None, others)
    # not a receiver (duty officer over someone else's warning): the worst department clock
    states = [clock_state(a, at) for a in active]
    worst = next((c for c in ("overdue", "due_soon", "ok") if c in states), "done")
    return InboxCard(w, None, "本单位不是接收单位（值班室督办）", worst, None, None, others)


def clock_counts(cards: list[InboxCard], per_department: bool) -> dict:
    """Overdue and due-soon: this department's own, and (duty office) per department."""
    own = Counter(c.clock for c in cards if c.mine is not None)
    result = {"overdue": own["overdue"], "due_soon": own["due_soon"], "departments": []}
    if per_department:
        by_dept: dict[str, Counter] = {}
        for c in cards:
            for name, _, state in c.others + ([("本单位", "", c.clock)] if c.mine else []):
                by_dept.setdefault(name, Counter())[state] += 1
        result["departments"] = sorted(
            ((name, n["overdue"], n["due_soon"]) for name, n in by_dept.items()
             if n["overdue"] or n["due_soon"]), key=lambda r: (-r[1], -r[2], r[0]))
    return result


def may_close(config: Config, w: Warning, user, mine: Assignment | None) -> bool:
    """Whether to offer the close form: the duty office, or a department whose response closes it."""
    if user is None or w.closed_at is not None:
        return False
    if user.sees_all:
        return True
    return mine is not None and mine in closing_rows(w)

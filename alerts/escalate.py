"""Escalation (逐级上报): a department that has not acknowledged in time is reported up
its chain, one step per `escalate_after` (default: the severity's acknowledge deadline).

Only departments that must answer (主管 / 处置 / 值班) escalate; coordinators and copies
do not. Each step is recorded, and the next department in the chain is notified.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from yuqing.alerts.outbox import notify, record
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import now

ANSWERING = ("主管", "处置", "值班")


def next_step_at(config: Config, warning: Warning, assignment: Assignment) -> datetime | None:
    """When this assignment escalates next, or None when its chain is exhausted."""
    dept = config.department(assignment.department_id)
    if assignment.escalation_level >= len(dept.escalation) or warning.acknowledge_by is None:
        return None
    step = dept.escalate_after or config.settings.response.deadlines[warning.severity].acknowledge
    return warning.acknowledge_by + assignment.escalation_level * step


@retry_locked
def escalate_overdue(db: Database, config: Config, at: datetime | None = None) -> int:
    at = at or now()
    escalated = 0
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.status.in_(("open", "acknowledged")),
                                                   Warning.acknowledge_by < at)).all()
        for warning in warnings:
            for a in list(warning.assignments):
                if not a.active or a.acknowledged_at is not None or a.role not in ANSWERING:
                    continue
                due = next_step_at(config, warning, a)
                if due is None or due > at:
                    continue
                dept = config.department(a.department_id)
                target = dept.escalation[a.escalation_level]
                a.escalation_level += 1
                existing = next((x for x in warning.assignments if x.department_id == target), None)
                if existing is None:
                    warning.assignments.append(Assignment(
                        warning_id=warning.id, department_id=target, role="上报",
                        reason=f"{dept.name}超过签收时限未签收，逐级上报"))
                elif not existing.active:
                    existing.active = True
                record(s, warning, "系统", "上报",
                       f"{dept.name}未按时签收，上报{config.department(target).name}", at)
                escalated += 1
                warning.revision += 1
                s.flush()
                notify(s, config, warning, at, departments=[target])
    return escalated

"""Escalation: a warning not acknowledged in time goes up the department's chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from alerts.outbox import notify, record
from config.models import Config
from storage.db import Database, retry_locked
from storage.models import Assignment, Warning
from yuqing.timeutil import now


@retry_locked
def escalate_overdue(db: Database, config: Config, at: datetime | None = None) -> int:
    at = at or now()
    escalated = 0
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.status == "open",
                                                   Warning.acknowledge_by < at)).all()
        for warning in warnings:
            for a in list(warning.assignments):
                if not a.active or a.acknowledged_at is not None or a.role == "上报":
                    continue
                dept = config.department(a.department_id)
                level = a.escalation_level
                if level >= len(dept.escalation):
                    continue
                target = dept.escalation[level]
                a.escalation_level = level + 1
                if not any(x.department_id == target for x in warning.assignments):
                    warning.assignments.append(Assignment(
                        warning_id=warning.id, department_id=target, role="上报",
                        reason=f"{dept.name}超过签收时限未签收，逐级上报"))
                record(s, warning, "系统", "上报", f"{dept.name}未按时签收，上报{config.department(target).name}")
                escalated += 1
                warning.revision += 1
                s.flush()
                notify(s, config, warning, at, departments=[target])
    return escalated

"""Escalation (逐级上报), on each department's own clock.

- 签收: a department that has not signed by its own 签收时限 is reported up its chain, one step
  per `escalate_after` (default: the severity's 签收 duration).
- 回应: a department whose own 回应时限 passed without its response is reported once to the
  first department of its chain (or the duty office when it has none).
Only departments with that duty escalate (duties.py); 抄送 and 上报 never do, a returned or
reassigned duty stops, and one department signing or responding never stops another's clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from yuqing.alerts.duties import ACK_ROLES, RESPOND_ROLES
from yuqing.alerts.outbox import notify, record
from yuqing.alerts.tell import tell
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import fmt, now


def next_step_at(config: Config, warning: Warning, assignment: Assignment) -> datetime | None:
    """When this department's 签收 escalates next, or None (signed, chain exhausted, no duty)."""
    dept = config.department(assignment.department_id)
    if (assignment.acknowledge_by is None or assignment.acknowledged_at is not None
            or assignment.escalation_level >= len(dept.escalation)):
        return None
    step = dept.escalate_after or config.settings.response.deadlines[warning.severity].acknowledge
    return assignment.acknowledge_by + assignment.escalation_level * step


def _pending(a: Assignment) -> bool:
    return a.active and a.state not in ("returned", "reassigned")


@retry_locked
def escalate_overdue(db: Database, config: Config, at: datetime | None = None) -> int:
    at = at or now()
    escalated = 0
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.closed_at.is_(None),
                                                   Warning.acknowledge_by < at)).all()
        warnings += s.scalars(select(Warning).where(
            Warning.closed_at.is_(None), Warning.respond_by < at,
            Warning.id.not_in([w.id for w in warnings] or [-1]))).all()
        for warning in warnings:
            for a in list(warning.assignments):
                if not _pending(a):
                    continue
                if a.role in ACK_ROLES:
                    escalated += _ack_step(s, config, warning, a, at)
                if a.role in RESPOND_ROLES:
                    escalated += _respond_step(s, config, warning, a, at)
    return escalated


def _ack_step(s, config: Config, warning: Warning, a: Assignment, at: datetime) -> int:
    due = next_step_at(config, warning, a)
    if due is None or due > at:
        return 0
    dept = config.department(a.department_id)
    target = dept.escalation[a.escalation_level]
    a.escalation_level += 1
    _report_to(warning, target, f"{dept.name}超过本单位签收时限未签收，逐级上报")
    record(s, warning, "系统", "上报",
           f"{dept.name}未在本单位签收时限（{fmt(a.acknowledge_by)}）前签收，"
           f"上报{config.department(target).name}", at)
    warning.revision += 1
    s.flush()
    notify(s, config, warning, at, departments=[target])
    return 1


def _respond_step(s, config: Config, warning: Warning, a: Assignment, at: datetime) -> int:
    if a.respond_by is None or a.responded_at is not None or a.respond_escalated_at is not None \
            or a.respond_by > at:
        return 0
    dept = config.department(a.department_id)
    target = dept.escalation[0] if dept.escalation else config.routing.duty_office
    a.respond_escalated_at = at
    text = f"{dept.name}（{a.role}）未在本单位回应时限（{fmt(a.respond_by)}）前回应"
    record(s, warning, "系统", "回应超时", f"{text}，报{config.department(target).name}督办", at)
    s.flush()
    if target != a.department_id:
        tell(s, config, warning, target, f"late{a.id}", f"【回应超时】预警 #{warning.id}：{dept.name}未按时回应",
             f"{text}，请督办。", at)
    return 1


def _report_to(warning: Warning, target: str, reason: str) -> None:
    existing = next((x for x in warning.assignments if x.department_id == target), None)
    if existing is None:
        warning.assignments.append(Assignment(warning_id=warning.id, department_id=target,
                                              role="上报", reason=reason, state="open", active=True))
    elif not existing.active:
        existing.active, existing.state = True, "open"

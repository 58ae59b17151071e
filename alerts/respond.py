"""A warning's life: open → acknowledged → responded → closed, or reassigned with a reason.

Every action is recorded with who and when; actions check that the actor's department
actually holds the warning (duty officers may act on all).
"""

from __future__ import annotations

from datetime import datetime

from alerts.outbox import notify, record
from config.models import Config
from storage.db import Database, retry_locked
from storage.models import Assignment, Warning
from yuqing.timeutil import now


class ActionError(Exception):
    """A refused action, with a Chinese reason for the person who tried it."""


def _load(s, warning_id: int) -> Warning:
    warning = s.get(Warning, warning_id)
    if warning is None:
        raise ActionError(f"预警 {warning_id} 不存在")
    return warning


def _assignment(warning: Warning, department_id: str | None) -> Assignment | None:
    return next((a for a in warning.assignments
                 if a.department_id == department_id and a.active), None)


def _check(warning: Warning, department_id: str | None) -> Assignment | None:
    """None department = duty officer; otherwise the department must hold the warning."""
    if department_id is None:
        return None
    assignment = _assignment(warning, department_id)
    if assignment is None:
        raise ActionError(f"本单位（{department_id}）不是预警 {warning.id} 的接收单位，无权操作")
    return assignment


@retry_locked
def acknowledge(db: Database, warning_id: int, actor: str, department_id: str | None,
                at: datetime | None = None) -> Warning:
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        assignment = _check(warning, department_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭，无需签收")
        targets = [assignment] if assignment else [a for a in warning.assignments if a.active]
        for a in targets:
            if a.acknowledged_at is None:
                a.acknowledged_at, a.acknowledged_by = at, actor
        if warning.status == "open":
            warning.status = "acknowledged"
        record(s, warning, actor, "签收", department_id or "值班室")
        return warning


@retry_locked
def respond(db: Database, warning_id: int, actor: str, department_id: str | None,
            text: str, url: str = "", at: datetime | None = None) -> Warning:
    if not text.strip() and not url.strip():
        raise ActionError("请填写回应内容或公开回应的链接")
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        assignment = _check(warning, department_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭")
        if assignment and assignment.acknowledged_at is None:
            assignment.acknowledged_at, assignment.acknowledged_by = at, actor
        warning.status = "responded"
        warning.response_text, warning.response_url = text.strip(), url.strip()
        record(s, warning, actor, "回应", f"{text.strip()} {url.strip()}".strip())
        return warning


@retry_locked
def close(db: Database, warning_id: int, actor: str, department_id: str | None,
          reason: str = "", at: datetime | None = None) -> Warning:
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        _check(warning, department_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭")
        warning.status, warning.closed_at = "closed", at
        record(s, warning, actor, "关闭", reason)
        return warning


@retry_locked
def reassign(db: Database, config: Config, warning_id: int, actor: str,
             from_department: str, to_department: str, reason: str,
             at: datetime | None = None) -> Warning:
    """Duty officers move a warning that went to the wrong department."""
    if not reason.strip():
        raise ActionError("改派必须说明原因")
    if to_department not in {d.id for d in config.departments}:
        raise ActionError(f"部门“{to_department}”不存在")
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        old = _assignment(warning, from_department)
        if old is None:
            raise ActionError(f"预警 {warning_id} 当前没有分派给“{from_department}”")
        old.active = False
        new = next((a for a in warning.assignments if a.department_id == to_department), None)
        if new is None:
            new = Assignment(warning_id=warning.id, department_id=to_department, role=old.role,
                             reason=f"由{config.department(from_department).name}改派：{reason}")
            warning.assignments.append(new)
        else:
            new.active, new.role = True, old.role
        warning.revision += 1
        s.flush()
        record(s, warning, actor, "改派", f"{from_department} → {to_department}：{reason}")
        notify(s, config, warning, at, departments=[to_department])
        return warning

"""A warning's life: open → acknowledged → responded → closed, or reassigned with a reason.

- acknowledged (已签收): every department that must answer (主管 / 处置 / 值班) has signed;
  each signature stops that department's escalation.
- responded (已回应): a receiving department recorded its public response (text or link).
- closed (已关闭): after a response; the duty office may also close an unanswered warning
  (e.g. a false alarm), but only with a reason.
Every action is recorded with who and when; a department may act only on warnings it holds.
The duty office (department None) may act on all.
"""

from __future__ import annotations

from datetime import datetime

from yuqing.alerts.outbox import notify, record
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import now

ANSWERING = ("主管", "处置", "值班")
DUTY = "值班室"


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


def _all_signed(warning: Warning) -> bool:
    answering = [a for a in warning.assignments if a.active and a.role in ANSWERING]
    return all(a.acknowledged_at is not None for a in answering)


def _sign(a: Assignment, actor: str, at: datetime) -> None:
    if a.acknowledged_at is None:
        a.acknowledged_at, a.acknowledged_by = at, actor


@retry_locked
def acknowledge(db: Database, warning_id: int, actor: str, department_id: str | None,
                at: datetime | None = None) -> Warning:
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        assignment = _check(warning, department_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭，无需签收")
        if assignment is not None and assignment.acknowledged_at is not None:
            raise ActionError(f"本单位已于 {assignment.acknowledged_at:%Y-%m-%d %H:%M} 由"
                              f"{assignment.acknowledged_by}签收，无需重复签收")
        if assignment is not None:
            _sign(assignment, actor, at)
        else:
            # the duty officer signs for the duty office's own duty, never for departments
            for a in warning.assignments:
                if a.active and a.role in ("协调", "值班"):
                    _sign(a, actor, at)
        if warning.status == "open" and _all_signed(warning):
            warning.status = "acknowledged"
        record(s, warning, actor, "签收", department_id or DUTY, at)
        return warning


@retry_locked
def respond(db: Database, warning_id: int, actor: str, department_id: str | None,
            text: str, url: str = "", at: datetime | None = None) -> Warning:
    if not text.strip() and not url.strip():
        raise ActionError("请填写回应内容或公开回应的链接")
    if url.strip() and not url.strip().startswith(("http://", "https://")):
        raise ActionError(f"回应链接“{url.strip()}”应以 http:// 或 https:// 开头")
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        assignment = _check(warning, department_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭")
        if assignment is not None:
            _sign(assignment, actor, at)     # responding implies having received it
        warning.status = "responded"
        warning.response_text, warning.response_url = text.strip(), url.strip()
        late = warning.respond_by is not None and at > warning.respond_by
        detail = f"{department_id or DUTY}：{text.strip()} {url.strip()}".strip()
        record(s, warning, actor, "回应", detail + ("（已超过回应时限）" if late else ""), at)
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
        if warning.status != "responded":
            if department_id is not None:
                raise ActionError("预警尚未回应，不能关闭；请先记录回应，或由值班室说明原因后关闭")
            if not reason.strip():
                raise ActionError("未回应的预警由值班室关闭时必须说明原因")
        warning.status, warning.closed_at = "closed", at
        record(s, warning, actor, "关闭", f"{department_id or DUTY}：{reason.strip()}".rstrip("："), at)
        return warning


@retry_locked
def reassign(db: Database, config: Config, warning_id: int, actor: str,
             from_department: str, to_department: str, reason: str,
             at: datetime | None = None) -> Warning:
    """Duty officers move a warning that went to the wrong department."""
    if not reason.strip():
        raise ActionError("改派必须说明原因")
    known = {d.id for d in config.departments}
    if to_department not in known:
        raise ActionError(f"部门“{to_department}”不存在")
    at = at or now()
    with db.session() as s:
        warning = _load(s, warning_id)
        if warning.status == "closed":
            raise ActionError("预警已关闭，不能改派")
        old = _assignment(warning, from_department)
        if old is None:
            raise ActionError(f"预警 {warning_id} 当前没有分派给“{from_department}”")
        if _assignment(warning, to_department) is not None:
            raise ActionError(f"“{config.department(to_department).name}”已是预警 {warning_id} 的接收单位")
        old.active = False
        new = next((a for a in warning.assignments if a.department_id == to_department), None)
        because = f"由{config.department(from_department).name}改派：{reason.strip()}"
        if new is None:
            new = Assignment(warning_id=warning.id, department_id=to_department, role=old.role,
                             reason=because)
            warning.assignments.append(new)
        else:
            new.active, new.role, new.reason = True, old.role, because
            new.acknowledged_at, new.acknowledged_by, new.escalation_level = None, "", 0
        if warning.status == "acknowledged":
            warning.status = "open"           # the new department has not signed yet
        warning.revision += 1
        s.flush()
        record(s, warning, actor, "改派", f"{from_department} → {to_department}：{reason.strip()}", at)
        notify(s, config, warning, at, departments=[to_department])
        return warning

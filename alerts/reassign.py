"""改派: the duty office moves one department's duty to another.

The old row stays, inactive, as history (its phone links stop working); the new department
gets the same role with fresh clocks from now; the old and new departments and the duty
office are each told, in words.
"""

from __future__ import annotations

from datetime import datetime

from yuqing.alerts.duties import refresh, start_duty
from yuqing.alerts.outbox import notify, record
from yuqing.alerts.respond import ActionError, load, name_of
from yuqing.alerts.tell import tell
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import now


def department_id(config: Config, value: str) -> str:
    """A department by id or name (zhichu / 只楚街道办事处)."""
    value = (value or "").strip()
    for d in config.departments:
        if value in (d.id, d.name):
            return d.id
    raise ActionError(f"部门“{value}”不存在，请使用 departments.yaml 中的部门编号或名称")


@retry_locked
def reassign(db: Database, config: Config, warning_id: int, actor: str, from_department: str,
             to_department: str, reason: str, at: datetime | None = None) -> Warning:
    if not reason.strip():
        raise ActionError("改派必须说明原因")
    source, target = department_id(config, from_department), department_id(config, to_department)
    at = at or now()
    with db.session() as s:
        warning = load(s, warning_id)
        if warning.status == "closed":
            raise ActionError(f"预警 {warning.id} 已关闭，不能改派")
        old = next((a for a in warning.assignments if a.department_id == source and a.active), None)
        if old is None:
            raise ActionError(f"预警 {warning.id} 当前没有分派给{name_of(config, source)}")
        if any(a.department_id == target and a.active and a.state != "returned"
               for a in warning.assignments):
            raise ActionError(f"{name_of(config, target)}已是预警 {warning.id} 的接收单位")
        # the duty office holding it alone (值班) hands over the responsibility itself
        role = "主管" if old.role == "值班" else old.role
        returned = old.state == "returned"
        old.active, old.state = False, "reassigned"
        old.link_nonce = ""
        because = f"由{name_of(config, source)}改派：{reason.strip()}"
        new = next((a for a in warning.assignments if a.department_id == target), None)
        if new is None:
            new = Assignment(warning_id=warning.id, department_id=target, escalation_level=0)
            warning.assignments.append(new)
        new.active, new.role, new.reason, new.state = True, role, because, "open"
        new.acknowledged_at, new.acknowledged_by, new.escalation_level = None, "", 0
        new.responded_at, new.responded_by, new.respond_escalated_at = None, "", None
        new.response_text, new.response_url, new.response_via = "", "", ""
        start_duty(config, warning, new, at)
        if returned:
            _release_duty_office(config, warning)
        refresh(warning)
        warning.revision += 1
        s.flush()
        words = f"{name_of(config, source)} → {name_of(config, target)}：{reason.strip()}"
        record(s, warning, actor, "改派", words, at)
        notify(s, config, warning, at, departments=[target])
        key = f"re{warning.revision}"
        tell(s, config, warning, source, key, f"【已改派】预警 #{warning.id} 已改派给{name_of(config, target)}",
             f"预警已由{actor}改派给{name_of(config, target)}（{reason.strip()}），本单位无需再处理。", at)
        duty = config.routing.duty_office
        if duty not in (source, target):
            tell(s, config, warning, duty, key, f"【改派】预警 #{warning.id}：{words}",
                 f"{actor}将预警从{name_of(config, source)}改派给{name_of(config, target)}，"
                 f"职责：{role}；原因：{reason.strip()}。", at)
        return warning


def _release_duty_office(config: Config, warning: Warning) -> None:
    """The 值班 duty a 退回 gave the duty office ends once nothing waits for reassignment."""
    if any(a.active and a.state == "returned" for a in warning.assignments):
        return
    for a in warning.assignments:
        if a.active and a.department_id == config.routing.duty_office and a.role == "值班" \
                and a.responded_at is None and any(x.active and x.role in ("主管", "处置")
                                                   for x in warning.assignments):
            a.active, a.state = False, "reassigned"

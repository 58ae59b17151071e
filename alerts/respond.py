"""What a department may do on a warning, for itself only (谁主管谁回应、谁处置谁回应).

- 签收 (acknowledge): a department with a 签收 duty signs for itself; it stops its own escalation.
- 已阅 (mark read): 抄送 and 上报 departments only; they have no 签收 or 回应 duty.
- 回应 (respond): recorded on the responding department's own row; one department's response
  never counts for another. Responding implies having received it.
- 关闭 (close): needs the 主管 departments' responses (no 主管: the 处置 ones, then 值班), and
  is done by one of them or the duty office; without those responses only the duty office
  closes, with a recorded reason. Every close must be confirmed.
- 退回 (return, "not ours"): with a reason, to the duty office, which reassigns (reassign.py).
The duty office acts as `department_id=None`. Every refusal is an ActionError with a Chinese
reason and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from yuqing.alerts.duties import (ACK_ROLES, INFORMED_ROLES, MAY_RESPOND, closing_rows, refresh,
                                  start_duty)
from yuqing.alerts.outbox import record
from yuqing.alerts.tell import tell
from yuqing.config.models import Config
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import fmt, now


class ActionError(Exception):
    """A refused action, with a Chinese reason for the person who tried it."""


def load(s, warning_id: int) -> Warning:
    warning = s.get(Warning, warning_id)
    if warning is None:
        raise ActionError(f"预警 {warning_id} 不存在")
    return warning


def name_of(config: Config, department_id: str | None) -> str:
    department_id = department_id or config.routing.duty_office
    return next((d.name for d in config.departments if d.id == department_id), department_id)


def duty_row(config: Config, warning: Warning, department_id: str | None) -> Assignment:
    """This department's own active duty on the warning (the duty office's when None)."""
    dept = department_id or config.routing.duty_office
    if dept not in {d.id for d in config.departments}:
        raise ActionError(f"部门“{department_id}”不存在")
    row = next((a for a in warning.assignments if a.department_id == dept and a.active), None)
    if row is None:
        raise ActionError(f"{name_of(config, dept)}不是预警 {warning.id} 的接收单位，无权操作")
    if row.state == "returned":
        raise ActionError(f"{name_of(config, dept)}已退回预警 {warning.id}，待值班室改派，无需再处理")
    return row


def _open_warning(warning: Warning, doing: str) -> None:
    if warning.status == "closed":
        raise ActionError(f"预警 {warning.id} 已关闭（{fmt(warning.closed_at)}），不能再{doing}")


def _sign(a: Assignment, actor: str, at: datetime) -> None:
    if a.acknowledged_at is None:
        a.acknowledged_at, a.acknowledged_by = at, actor
        if a.state == "open":
            a.state = "acknowledged"


@retry_locked
def acknowledge(db: Database, config: Config, warning_id: int, actor: str,
                department_id: str | None, at: datetime | None = None, via: str = "") -> Warning:
    at = at or now()
    with db.session() as s:
        warning = load(s, warning_id)
        _open_warning(warning, "签收")
        a = duty_row(config, warning, department_id)
        who = name_of(config, a.department_id)
        if a.role in INFORMED_ROLES:
            raise ActionError(f"{who}在预警 {warning.id} 中为{a.role}单位，无需签收，请标记“已阅”")
        if a.acknowledged_at is not None:
            raise ActionError(f"{who}已于 {fmt(a.acknowledged_at)} 由{a.acknowledged_by}签收，无需重复签收")
        _sign(a, actor, at)
        refresh(warning)
        record(s, warning, actor, "签收", who + (f"（{via}）" if via else ""), at)
        return warning


@retry_locked
def mark_read(db: Database, config: Config, warning_id: int, actor: str,
              department_id: str | None, at: datetime | None = None, via: str = "") -> Warning:
    at = at or now()
    with db.session() as s:
        warning = load(s, warning_id)
        _open_warning(warning, "标记已阅")
        a = duty_row(config, warning, department_id)
        who = name_of(config, a.department_id)
        if a.role not in INFORMED_ROLES:
            raise ActionError(f"{who}在预警 {warning.id} 中的职责是{a.role}，请签收，而不是标记已阅")
        if a.state == "read":
            raise ActionError(f"{who}已于 {fmt(a.acknowledged_at)} 由{a.acknowledged_by}标记已阅")
        a.acknowledged_at, a.acknowledged_by, a.state = at, actor, "read"
        record(s, warning, actor, "已阅", who + (f"（{via}）" if via else ""), at)
        return warning


def check_response(text: str, url: str) -> tuple[str, str]:
    text, url = text.strip(), url.strip()
    if not text and not url:
        raise ActionError("请填写回应内容或公开回应的链接")
    if url and not url.startswith(("http://", "https://")):
        raise ActionError(f"回应链接“{url}”应以 http:// 或 https:// 开头")
    return text, url


def apply_response(s, config: Config, warning: Warning, a: Assignment, actor: str, text: str,
                   url: str, at: datetime, via: str, action: str = "回应",
                   mention_id: int | None = None, marker: str = "") -> None:
    """Record a response on this department's own row (the first one sets the time credited)."""
    who = name_of(config, a.department_id)
    _sign(a, actor, at)
    again = a.responded_at is not None
    if not again:
        a.responded_at, a.responded_by = at, actor
    a.state = "responded"
    a.response_text, a.response_url, a.response_via = text, url, via
    if url:
        a.response_fetched_at, a.response_snapshot = None, ""     # fetch the new page once
    if mention_id is not None:
        a.response_mention_id = mention_id
    late = a.respond_by is not None and at > a.respond_by and not again
    refresh(warning)
    warning.response_text, warning.response_url = text, url     # the latest, for lists
    detail = f"{who}：{text} {url}".strip() + ("（已超过本单位回应时限）" if late else "") \
        + (f" {marker}" if marker else "")
    record(s, warning, actor, "补充回应" if again and action == "回应" else action, detail, at)


@retry_locked
def respond(db: Database, config: Config, warning_id: int, actor: str, department_id: str | None,
            text: str, url: str = "", at: datetime | None = None, via: str = "") -> Warning:
    text, url = check_response(text, url)
    at = at or now()
    with db.session() as s:
        warning = load(s, warning_id)
        _open_warning(warning, "记录回应")
        a = duty_row(config, warning, department_id)
        if a.role not in MAY_RESPOND:
            raise ActionError(f"{name_of(config, a.department_id)}在预警 {warning.id} 中为{a.role}单位，"
                              "无回应职责，只需标记“已阅”")
        apply_response(s, config, warning, a, actor, text, url, at, via or "dashboard")
        return warning


@retry_locked
def close(db: Database, config: Config, warning_id: int, actor: str, department_id: str | None,
          reason: str = "", confirmed: bool = False, at: datetime | None = None) -> Warning:
    at = at or now()
    if department_id == config.routing.duty_office:
        department_id = None
    with db.session() as s:
        warning = load(s, warning_id)
        _open_warning(warning, "关闭")
        closers = closing_rows(warning)
        owners = "、".join(name_of(config, a.department_id) for a in closers) or "责任单位"
        missing = [a for a in closers if a.responded_at is None]
        if department_id is not None:
            a = duty_row(config, warning, department_id)
            if a not in closers:
                raise ActionError(f"{name_of(config, department_id)}在预警 {warning.id} 中的职责是{a.role}，"
                                  f"无权关闭；须由{closers[0].role if closers else '主管'}单位（{owners}）"
                                  "回应后关闭，或由值班室说明原因后关闭")
            if missing:
                raise ActionError(f"{'、'.join(name_of(config, m.department_id) for m in missing)}"
                                  f"尚未回应，不能关闭；请先记录本单位的回应")
        elif (missing or not closers) and not reason.strip():
            raise ActionError(f"{owners}尚未回应，值班室关闭时必须说明原因")
        if not confirmed:
            raise ActionError("关闭预警需要确认：关闭后各单位的时限停止、不再上报（命令行请加 --yes）")
        warning.closed_at = at
        refresh(warning)
        detail = name_of(config, department_id) + (f"：{reason.strip()}" if reason.strip() else "")
        if department_id is None and missing:
            detail += f"（{owners}未回应，值班室说明原因后关闭）"
        record(s, warning, actor, "关闭", detail, at)
        return warning


@retry_locked
def return_warning(db: Database, config: Config, warning_id: int, actor: str,
                   department_id: str | None, reason: str, at: datetime | None = None) -> Warning:
    """退回: "not ours", with a reason; the duty office gets it to reassign."""
    if not reason.strip():
        raise ActionError("退回必须说明原因（例如：事发地不在本辖区）")
    at = at or now()
    duty = config.routing.duty_office
    with db.session() as s:
        warning = load(s, warning_id)
        _open_warning(warning, "退回")
        if department_id in (None, duty):
            raise ActionError("值班室不能退回预警，请改派给责任单位")
        a = duty_row(config, warning, department_id)
        who = name_of(config, a.department_id)
        if a.responded_at is not None:
            raise ActionError(f"{who}已回应预警 {warning.id}，不能再退回")
        a.state = "returned"
        office = next((x for x in warning.assignments if x.department_id == duty), None)
        if office is None:
            office = Assignment(warning_id=warning.id, department_id=duty, role="值班", state="open", active=True,
                                reason=f"{who}退回，由值班室改派")
            start_duty(config, warning, office, at)
            warning.assignments.append(office)
        elif not office.active:
            office.active, office.state, office.role = True, "open", "值班"
            start_duty(config, warning, office, at)
        refresh(warning)
        warning.revision += 1
        s.flush()
        record(s, warning, actor, "退回", f"{who}：{reason.strip()}", at)
        tell(s, config, warning, duty, f"r{warning.revision}", f"【退回待改派】{who}退回预警 #{warning.id}",
             f"{who}退回了该预警（{a.role}），原因：{reason.strip()}。请改派给责任单位。", at)
        return warning


def role_allows_ack(role: str) -> bool:
    return role in ACK_ROLES

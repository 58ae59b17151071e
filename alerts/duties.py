"""Each department's own duty on a warning (谁主管谁回应、谁处置谁回应): clocks, states, words.

What each role owes (docs/duties.md explains the choices):

| role | 签收 | 回应 | escalates |
|------|------|------|-----------|
| 主管 (topic owner)        | yes | yes | yes |
| 处置 (place's handler)    | yes | yes | yes |
| 值班 (nobody else found)  | yes | yes | yes |
| 协调 (duty office)        | yes | no  | yes |
| 上报 / 抄送 (informed)    | 已阅, no deadline | no | no |

Clocks run from when the department received the duty (the warning's opening, or the
reassignment) with the severity's durations from settings.response.deadlines. For a severity
that the department's quiet hours hold (below `hold_below`), a duty received in quiet hours
starts at the next working start (the quiet hours' end), and a deadline that falls in quiet
hours moves to the next working start. 重大 and 特别重大 run round the clock.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from yuqing.alerts.quiet import quiet_for
from yuqing.config.models import Config
from yuqing.config.types import severity_rank
from yuqing.storage.models import Assignment, Warning
from yuqing.timeutil import local

ACK_ROLES = ("主管", "处置", "值班", "协调")
RESPOND_ROLES = ("主管", "处置", "值班")
INFORMED_ROLES = ("抄送", "上报")
# Roles allowed to record a response (协调 may publish a joint one; it is never required).
MAY_RESPOND = ("主管", "处置", "值班", "协调")

STATE_NAMES = {"open": "待签收", "acknowledged": "已签收", "responded": "已回应", "read": "已阅",
               "returned": "已退回", "reassigned": "已改派", "unread": "未阅"}
ROLE_TASKS = {
    "主管": "负责政策解释和权威信息发布，按时限公开回应",
    "处置": "负责属地现场核实处置，并就处置情况回应",
    "协调": "负责统筹协调各责任单位，督促按时回应（无需单独回应）",
    "值班": "请确定责任单位并改派；改派前由值班室负责回应",
    "上报": "责任单位未按时签收或回应，请督办（无需签收回应，阅后标记已阅）",
    "抄送": "请知悉，无需签收和回应，阅后标记已阅；必要时配合回应",
}


def new_nonce() -> str:
    return secrets.token_hex(8)


def _working(config: Config, department_id: str, severity: str, at: datetime) -> datetime:
    """`at`, or the next working start when quiet hours hold this severity at `at`."""
    quiet = quiet_for(config, department_id)
    if severity_rank(severity) >= severity_rank(quiet.hold_below) or not quiet.contains(at):
        return at
    return quiet.ends_after(at)


def clocks(config: Config, department_id: str, role: str, severity: str,
           start: datetime) -> tuple[datetime | None, datetime | None]:
    """(签收时限, 回应时限) of one department's duty received at `start`."""
    deadline = config.settings.response.deadlines[severity]
    begin = _working(config, department_id, severity, start)
    ack = _working(config, department_id, severity, begin + deadline.acknowledge) \
        if role in ACK_ROLES else None
    respond = _working(config, department_id, severity, begin + deadline.respond) \
        if role in RESPOND_ROLES else None
    return ack, respond


def start_duty(config: Config, warning: Warning, a: Assignment, start: datetime) -> None:
    """Fresh clocks and a fresh state for a duty received at `start`."""
    a.assigned_at = start
    a.acknowledge_by, a.respond_by = clocks(config, a.department_id, a.role, warning.severity, start)
    a.link_nonce = new_nonce()


def reclock(config: Config, warning: Warning) -> None:
    """A severity change: every open duty's clocks from when it was received, new durations."""
    for a in warning.assignments:
        if a.active and a.assigned_at is not None:
            a.acknowledge_by, a.respond_by = clocks(config, a.department_id, a.role,
                                                    warning.severity, a.assigned_at)
    summarise_clocks(warning)


def summarise_clocks(warning: Warning) -> None:
    """The warning's own columns hold the earliest open duty's clocks (for sorting lists)."""
    duties = [a for a in warning.assignments if a.active and a.state not in ("returned",)]
    acks = [a.acknowledge_by for a in duties if a.acknowledge_by and a.acknowledged_at is None]
    responds = [a.respond_by for a in duties if a.respond_by and a.responded_at is None]
    every_ack = [a.acknowledge_by for a in duties if a.acknowledge_by]
    every_respond = [a.respond_by for a in duties if a.respond_by]
    warning.acknowledge_by = _earliest(acks) or _earliest(every_ack)
    warning.respond_by = _earliest(responds) or _earliest(every_respond)


def _earliest(values: list[datetime]) -> datetime | None:
    return min(values) if values else None


def answering(warning: Warning) -> list[Assignment]:
    return [a for a in warning.assignments
            if a.active and a.role in RESPOND_ROLES and a.state != "returned"]


def derive_status(warning: Warning) -> str:
    """open → acknowledged → responded, from the departments that must answer; closed is explicit."""
    if warning.closed_at is not None:
        return "closed"
    rows = answering(warning)
    if not rows:
        return "open"
    if all(a.responded_at is not None for a in rows):
        return "responded"
    if all(a.acknowledged_at is not None for a in rows):
        return "acknowledged"
    return "open"


def refresh(warning: Warning) -> None:
    warning.status = derive_status(warning)
    summarise_clocks(warning)


def closing_rows(warning: Warning) -> list[Assignment]:
    """Whose response lets a warning close: the 主管 departments, else 处置, else 值班."""
    rows = answering(warning)
    for role in ("主管", "处置", "值班"):
        chosen = [a for a in rows if a.role == role]
        if chosen:
            return chosen
    return []


def due_soon(deadline: datetime | None, at: datetime, window: timedelta = timedelta(hours=2)) -> bool:
    return deadline is not None and at <= deadline < at + window


def clock_state(a: Assignment, at: datetime) -> str:
    """overdue / due_soon / ok / done for this department's next clock."""
    if a.role in INFORMED_ROLES or not a.active or a.state in ("returned", "reassigned"):
        return "done"
    pending = [d for d, done in ((a.acknowledge_by, a.acknowledged_at), (a.respond_by, a.responded_at))
               if d is not None and done is None]
    if not pending:
        return "done"
    nearest = min(pending)
    if nearest < at:
        return "overdue"
    return "due_soon" if due_soon(nearest, at) else "ok"


def state_name(a: Assignment) -> str:
    if a.role in INFORMED_ROLES and a.state == "open":
        return STATE_NAMES["unread"]
    return STATE_NAMES.get(a.state, a.state)


def _hm(at: datetime, ref: datetime | None) -> str:
    """19:45, or 1月16日 07:30 when not on the reference day."""
    shown, base = local(at), local(ref) if ref else None
    if base is not None and shown.date() == base.date():
        return f"{shown:%H:%M}"
    return f"{shown.month}月{shown.day}日 {shown:%H:%M}"


def duty_line(a: Assignment, ref: datetime | None = None) -> str:
    """本单位职责：处置 — 请于 19:45 前签收，23:45 前回应 (what this department owes, now)."""
    head = f"本单位职责：{a.role}"
    if not a.active:
        return f"{head} — 已改派，无需处理"
    if a.state == "returned":
        return f"{head} — 已退回值班室，待改派"
    if a.role in INFORMED_ROLES:
        return f"{head} — 已阅" if a.state == "read" else f"{head} — 请知悉，无需签收和回应，阅后请标记已阅"
    asks = []
    if a.acknowledge_by and a.acknowledged_at is None:
        asks.append(f"请于 {_hm(a.acknowledge_by, ref)} 前签收")
    if a.respond_by and a.responded_at is None:
        asks.append(f"{'' if asks else '请于 '}{_hm(a.respond_by, ref)} 前回应")
    if not asks:
        return f"{head} — 已回应" if a.responded_at else f"{head} — 已签收，无需单独回应"
    return f"{head} — " + "，".join(asks)

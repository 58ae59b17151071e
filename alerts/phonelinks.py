"""Signed phone links (免登录签收): a notice lets its department 签收 or mark 已阅 without a password.

A link is scoped to one warning, one department's duty row and one action; it expires; it
carries the row's nonce, which reassignment clears, so an old department's links die with its
duty; and the action itself can happen once (a second use finds the duty already signed).
Responding, closing, returning and reassigning always need a login (docs/duties.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from yuqing.alerts.duties import INFORMED_ROLES
from yuqing.alerts.respond import ActionError, acknowledge, mark_read, name_of
from yuqing.config.models import Config
from yuqing.signing import secret_key
from yuqing.storage.db import Database
from yuqing.storage.models import Assignment, Warning

MAX_AGE = 3 * 86400          # three days: longer than any 签收时限, short enough to expire
SALT = "duty-phone-action"


@dataclass(frozen=True)
class PhoneAction:
    warning_id: int
    assignment_id: int
    department_id: str
    action: str              # ack / read


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt=SALT)


def action_for(a: Assignment) -> str:
    return "read" if a.role in INFORMED_ROLES else "ack"


def sign_action(a: Assignment) -> str:
    return _serializer().dumps({"w": a.warning_id, "a": a.id, "d": a.department_id,
                                "x": action_for(a), "n": a.link_nonce})


def action_link(base_url: str, a: Assignment) -> str:
    return f"{base_url.rstrip('/')}/warnings/{a.warning_id}/phone?t={sign_action(a)}"


def check(s, config: Config, warning_id: int, token: str | None,
          max_age: int = MAX_AGE) -> tuple[PhoneAction, Warning, Assignment]:
    """The action a link allows now, or an ActionError saying in words why not."""
    if not token:
        raise ActionError("链接缺少签名，请使用通知中的完整链接")
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise ActionError("链接已过期，请登录后操作") from None
    except BadSignature:
        raise ActionError("链接无效（可能被改动或截断），请使用通知中的完整链接或登录后操作") from None
    action = PhoneAction(int(data["w"]), int(data["a"]), str(data["d"]), str(data["x"]))
    if action.warning_id != warning_id:
        raise ActionError("链接与预警不符，请使用通知中的完整链接")
    warning = s.get(Warning, warning_id)
    a = s.get(Assignment, action.assignment_id)
    if warning is None or a is None or a.warning_id != warning_id or a.department_id != action.department_id:
        raise ActionError("链接无效，请登录后操作")
    who = name_of(config, a.department_id)
    if warning.closed_at is not None:
        raise ActionError(f"预警 {warning_id} 已关闭，链接已失效")
    if not a.active or a.state == "reassigned" or not a.link_nonce or a.link_nonce != data["n"]:
        raise ActionError(f"该预警已不再由{who}承办（已改派），链接已失效")
    if a.state == "returned":
        raise ActionError(f"{who}已退回该预警，链接已失效")
    if action.action == "ack" and a.acknowledged_at is not None:
        raise ActionError(f"链接已使用：{who}已由{a.acknowledged_by}签收")
    if action.action == "read" and a.state == "read":
        raise ActionError(f"链接已使用：{who}已由{a.acknowledged_by}标记已阅")
    return action, warning, a


def use(db: Database, config: Config, warning_id: int, token: str | None, actor: str,
        at: datetime | None = None) -> tuple[PhoneAction, Warning]:
    """Perform the link's one action (checked again inside the action's own transaction)."""
    with db.session() as s:
        action, _, _ = check(s, config, warning_id, token)
    do = mark_read if action.action == "read" else acknowledge
    return action, do(db, config, warning_id, actor, action.department_id, at=at, via="手机链接")

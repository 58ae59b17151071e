"""免登录签收: the signed link in a notice lets that department 签收 (or mark 已阅) from a phone.

GET shows the warning's essentials and one button; only the POST acts, so a mail scanner or
link preview that fetches the link changes nothing. The link is scoped, expiring and good for
one action (alerts/phonelinks.py); responding, closing, returning and reassigning need a login.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from yuqing.alerts import phonelinks
from yuqing.alerts.duties import duty_line
from yuqing.alerts.respond import ActionError
from yuqing.web.context import store
from yuqing.timeutil import now

bp = Blueprint("phone", __name__)


def _refused(warning_id: int, message: str):
    return render_template("phone.html", error=message, done="", w=None, warning_id=warning_id), 400


def _page(warning_id: int, token: str, error: str = "", status: int = 200):
    """The one-button page; a link that cannot act says why, in words."""
    config, db = store()
    with db.session() as s:
        try:
            action, warning, duty = phonelinks.check(s, config, warning_id, token)
        except ActionError as exc:
            return _refused(warning_id, str(exc))
        name = next(d.name for d in config.departments if d.id == duty.department_id)
        return render_template("phone.html", w=warning, action=action, token=token, dept=name,
                               line=duty_line(duty, now()), error=error, done="",
                               warning_id=warning_id), status


@bp.get("/warnings/<int:warning_id>/phone")
def show(warning_id: int):
    return _page(warning_id, request.args.get("t", ""))


@bp.post("/warnings/<int:warning_id>/phone")
def act(warning_id: int):
    config, db = store()
    token = request.form.get("t", "")
    actor = request.form.get("actor", "").strip()
    if not actor:
        return _page(warning_id, token, error="请填写操作人姓名（将记入处理记录）", status=400)
    try:
        action, warning = phonelinks.use(db, config, warning_id, token, actor[:40])
    except ActionError as exc:
        return _refused(warning_id, str(exc))
    return render_template("phone.html", w=warning, error="", warning_id=warning_id,
                           done=f"已{'标记已阅' if action.action == 'read' else '签收'}（预警 #{warning.id}），"
                                "已记入处理记录。回应、退回请登录平台办理。")

"""The warnings inbox, a warning's page, and the acknowledge / respond / close / reassign forms."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from yuqing.alerts import respond as actions
from yuqing.alerts.reassign import reassign as reassign_duty
from yuqing.alerts.messages import evidence
from yuqing.storage.models import Warning
from yuqing.web.access import can_view, link_department, visible
from yuqing.web.auth import duty_required, login_required
from yuqing.web.context import store
from yuqing.timeutil import now

bp = Blueprint("warnings", __name__)
FILTERS = {"active": ("open", "acknowledged", "responded"), "open": ("open",),
           "acknowledged": ("acknowledged",), "responded": ("responded",), "closed": ("closed",)}


def _names(config) -> dict:
    return {"topics": {t.id: t.name for t in config.topics},
            "places": {p.id: p.name for p in config.places},
            "depts": {d.id: d.name for d in config.departments},
            "sources": {s.id: s.name for s in config.sources}}


@bp.get("/")
@bp.get("/warnings")
@login_required
def inbox():
    config, db = store()
    status = request.args.get("status", "active")
    states = FILTERS.get(status, FILTERS["active"])
    with db.session() as s:
        query = visible(select(Warning).where(Warning.status.in_(states)), g.user)
        rows = s.scalars(query.order_by(Warning.respond_by.asc().nulls_last(), Warning.id.desc())
                         .limit(500)).all()
        for w in rows:
            w.assignments  # load while the session is open  # noqa: B018
    at = now()
    overdue = [w for w in rows if w.respond_by and w.respond_by < at and w.status in ("open", "acknowledged")]
    rows = overdue + [w for w in rows if w not in overdue]
    return render_template("inbox.html", warnings=rows, status=status, at=at, names=_names(config))


@bp.get("/warnings/<int:warning_id>")
def show(warning_id: int):
    config, db = store()
    with db.session() as s:
        warning = s.get(Warning, warning_id)
        if warning is None:
            abort(404, f"预警 {warning_id} 不存在。")
        allowed = can_view(g.user, warning)
        via_link = None if allowed else link_department(config, warning, request.args.get("t"))
        if not allowed and via_link is None:
            if g.user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            abort(403, "该预警未分派给本单位，无权查看。")
        shown = evidence(s, warning, limit=None)
        events = list(warning.events)
        assignments = list(warning.assignments)
    mine = next((a for a in assignments if g.user and a.active
                 and a.department_id == g.user.department_id), None)
    return render_template("warning.html", w=warning, evidence=shown, events=events,
                           assignments=assignments, mine=mine, read_only=not allowed,
                           via_link=via_link, at=now(), names=_names(config),
                           departments=config.departments)


def _act(warning_id: int, action, success: str):
    config, db = store()
    with db.session() as s:
        warning = s.get(Warning, warning_id)
        if warning is None:
            abort(404, f"预警 {warning_id} 不存在。")
        if not can_view(g.user, warning):
            abort(403, "该预警未分派给本单位，无权操作。")
    try:
        action(config, db)
    except actions.ActionError as exc:
        flash(str(exc), "error")
    else:
        flash(success, "info")
    return redirect(url_for("warnings.show", warning_id=warning_id))


def _actor() -> str:
    return g.user.display_name if g.user.display_name == g.user.username else \
        f"{g.user.display_name}（{g.user.username}）"


@bp.post("/warnings/<int:warning_id>/acknowledge")
@login_required
def acknowledge(warning_id: int):
    return _act(warning_id, lambda config, db: actions.acknowledge(
        db, config, warning_id, _actor(), g.user.acting_department), "已签收。")


@bp.post("/warnings/<int:warning_id>/respond")
@login_required
def respond(warning_id: int):
    text, url = request.form.get("text", ""), request.form.get("url", "").strip()
    if url and not url.startswith(("http://", "https://")):
        flash("回应链接应以 http:// 或 https:// 开头。", "error")
        return redirect(url_for("warnings.show", warning_id=warning_id))
    return _act(warning_id, lambda config, db: actions.respond(
        db, config, warning_id, _actor(), g.user.acting_department, text, url, via="dashboard"),
        "已记录本单位的回应。")


@bp.post("/warnings/<int:warning_id>/close")
@login_required
def close(warning_id: int):
    return _act(warning_id, lambda config, db: actions.close(
        db, config, warning_id, _actor(), g.user.acting_department, request.form.get("reason", "").strip(),
        confirmed=request.form.get("confirm") == "yes"), "预警已关闭。")


@bp.post("/warnings/<int:warning_id>/reassign")
@duty_required
def reassign(warning_id: int):
    form = request.form
    return _act(warning_id, lambda config, db: reassign_duty(
        db, config, warning_id, _actor(), form.get("from_department", ""),
        form.get("to_department", ""), form.get("reason", "")), "已改派，并已通知新的接收部门。")

"""The warnings inbox, a warning's page, and each department's own actions: 签收, 已阅, 回应, 关闭
(confirmed), 退回; 改派 for the duty office."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from yuqing.alerts import respond as actions
from yuqing.alerts.reassign import reassign as reassign_duty
from yuqing.alerts.duties import clock_state, duty_line, state_name
from yuqing.alerts.messages import evidence
from yuqing.reports.dutyview import duty_views
from yuqing.web.inboxview import clock_counts, inbox_card, may_close
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


def own_department(config, user) -> str | None:
    """The department whose duties this user sees first: its own, or the duty office's."""
    if user is None:
        return None
    return user.department_id or (config.routing.duty_office if user.sees_all else None)


@bp.get("/")
@bp.get("/warnings")
@login_required
def inbox():
    config, db = store()
    status = request.args.get("status", "active")
    states = FILTERS.get(status, FILTERS["active"])
    at = now()
    mine_id = own_department(config, g.user)
    with db.session() as s:
        query = visible(select(Warning).where(Warning.status.in_(states)), g.user)
        rows = s.scalars(query.order_by(Warning.respond_by.asc().nulls_last(), Warning.id.desc())
                         .limit(500)).all()
        cards = [inbox_card(config, w, mine_id, at) for w in rows]
    cards.sort(key=lambda c: c.order)
    return render_template("inbox.html", cards=cards, status=status, at=at, names=_names(config),
                           counts=clock_counts(cards, g.user.sees_all))


@bp.get("/warnings/<int:warning_id>")
def show(warning_id: int):
    config, db = store()
    with db.session() as s:
        warning = s.get(Warning, warning_id)
        if warning is None:
            if g.user is None:     # the same answer as for one that exists: nobody counts them
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
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
    at = now()
    mine_id = own_department(config, g.user) if allowed else via_link
    mine = next((a for a in assignments if a.active and a.department_id == mine_id), None)
    return render_template("warning.html", w=warning, evidence=shown, events=events,
                           assignments=assignments, mine=mine, read_only=not allowed,
                           via_link=via_link, at=at, names=_names(config),
                           departments=config.departments, duties=duty_views(config, assignments, at),
                           may_close=may_close(config, warning, g.user, mine),
                           duty_line=duty_line, clock_state=clock_state, state_name=state_name)


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
        db, config, warning_id, _actor(), g.user.acting_department), "本单位已签收。")


@bp.post("/warnings/<int:warning_id>/read")
@login_required
def mark_read(warning_id: int):
    return _act(warning_id, lambda config, db: actions.mark_read(
        db, config, warning_id, _actor(), g.user.acting_department), "已标记已阅。")


@bp.post("/warnings/<int:warning_id>/return")
@login_required
def send_back(warning_id: int):
    return _act(warning_id, lambda config, db: actions.return_warning(
        db, config, warning_id, _actor(), g.user.acting_department, request.form.get("reason", "")),
        "已退回值班室，待改派。")


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
        form.get("to_department", ""), form.get("reason", "")), "已改派，并已通知原单位、新单位和值班室。")

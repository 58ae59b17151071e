"""Read-only JSON API for the platforms a district already has (12345 热线, 一网统管).

`Authorization: Bearer <token>`; a token (web/tokens.py) has the rights of a dashboard user, and
the same rules apply: a duty token sees every warning, a department token only the warnings its
department holds (web/access.py); mentions and events (事件) are readable by every token, as on
the dashboard's search page, with personal data masked as on every page people read.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from flask import Blueprint, current_app, g, jsonify, request
from sqlalchemy import func, select

from yuqing.alerts.messages import evidence
from yuqing.alerts.states import STATUS_NAMES
from yuqing.analysis.privacy import mask
from yuqing.reports.stats import NEGATIVE, WHEN
from yuqing.storage.models import Mention, MentionTopic, Warning
from yuqing.timeutil import SHANGHAI, local, now
from yuqing.web.access import can_view, visible
from yuqing.web.context import store
from yuqing.web.mentions import Filters, search_query
from yuqing.web.tokens import viewer_of
from yuqing.web.warnings import FILTERS

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LIMIT = 500


def _iso(value: datetime | None) -> str | None:
    return local(value).isoformat() if value else None


def error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="yuqing"'
    return response


def token_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error(401, "缺少接口令牌：请在请求头中提供 Authorization: Bearer <令牌>")
        viewer = viewer_of(store()[1], token.strip())
        if viewer is None:
            return error(401, "接口令牌无效或已吊销")
        g.api_viewer = viewer
        return view(*args, **kwargs)

    return wrapped


def _paging() -> tuple[int, int] | None:
    try:
        limit = int(request.args.get("limit", 100))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        return None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        return None
    return limit, offset


def _warning_json(w: Warning, names: dict) -> dict:
    return {
        "id": w.id, "key": w.key, "kind": w.kind, "severity": w.severity,
        "status": w.status, "status_name": STATUS_NAMES.get(w.status, w.status),
        "topic_id": w.topic_id, "topic": names["topics"].get(w.topic_id),
        "place_id": w.place_id, "place": names["places"].get(w.place_id),
        "title": mask(w.title), "summary": mask(w.summary), "count": w.count, "baseline": w.baseline,
        "opened_at": _iso(w.opened_at), "updated_at": _iso(w.updated_at),
        "acknowledge_by": _iso(w.acknowledge_by), "respond_by": _iso(w.respond_by),
        "press_conference_by": _iso(w.press_conference_by), "closed_at": _iso(w.closed_at),
        "response_url": w.response_url,
        "assignments": [{"department_id": a.department_id, "department": names["depts"].get(a.department_id),
                         "role": a.role, "active": a.active, "state": a.state,
                         "acknowledge_by": _iso(a.acknowledge_by), "acknowledged_at": _iso(a.acknowledged_at),
                         "respond_by": _iso(a.respond_by), "responded_at": _iso(a.responded_at)}
                        for a in w.assignments],
    }


def _names() -> dict:
    config = store()[0]
    return {"topics": {t.id: t.name for t in config.topics},
            "places": {p.id: p.name for p in config.places},
            "depts": {d.id: d.name for d in config.departments}}


@bp.get("/warnings")
@token_required
def warnings():
    status = request.args.get("status", "active")
    if status != "all" and status not in FILTERS:
        return error(400, f"未知的状态“{status}”，可用：all、{'、'.join(FILTERS)}")
    paging = _paging()
    if paging is None:
        return error(400, f"limit 应为 1–{MAX_LIMIT} 的整数，offset 应为非负整数")
    limit, offset = paging
    query = select(Warning)
    if status != "all":
        query = query.where(Warning.status.in_(FILTERS[status]))
    query = visible(query, g.api_viewer)
    names = _names()
    with store()[1].session() as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.scalars(query.order_by(Warning.id.desc()).offset(offset).limit(limit)).all()
        items = [_warning_json(w, names) for w in rows]
    return jsonify({"total": total, "offset": offset, "limit": limit, "warnings": items})


@bp.get("/warnings/<int:warning_id>")
@token_required
def warning(warning_id: int):
    names = _names()
    with store()[1].session() as s:
        w = s.get(Warning, warning_id)
        if w is None:
            return error(404, f"预警 {warning_id} 不存在")
        if not can_view(g.api_viewer, w):
            return error(403, "该预警未分派给本单位，无权查看")
        item = _warning_json(w, names)
        item["evidence"] = [_mention_json(m) for m in evidence(s, w, limit=None)]
    return jsonify(item)


def _mention_json(m: Mention, negative: bool | None = None, topics: list[str] | None = None) -> dict:
    item = {"id": m.id, "url": m.url, "source_id": m.source_id, "kind": m.kind,
            "title": mask(m.title), "text": mask(m.content[:500]),
            "published_at": _iso(m.published_at), "fetched_at": _iso(m.fetched_at),
            "place_id": m.place_id, "story_id": m.story_id, "sentiment": m.sentiment,
            "negative": m.negative if negative is None else bool(negative)}
    if topics is not None:
        item["topics"] = topics
    return item


@bp.get("/mentions")
@token_required
def mentions():
    f, problems = Filters.from_args(request.args)
    if problems:
        return error(400, "；".join(problems))
    paging = _paging()
    if paging is None:
        return error(400, f"limit 应为 1–{MAX_LIMIT} 的整数，offset 应为非负整数")
    limit, offset = paging
    with store()[1].session() as s:
        query = search_query(f)
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(query.add_columns(NEGATIVE).order_by(WHEN.desc(), Mention.id.desc())
                         .offset(offset).limit(limit)).all()
        topics: dict[int, list[str]] = {}
        for mention_id, topic_id in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                              .where(MentionTopic.mention_id.in_([r[0].id for r in rows]))):
            topics.setdefault(mention_id, []).append(topic_id)
        items = [_mention_json(m, neg, sorted(topics.get(m.id, []))) for m, neg in rows]
    return jsonify({"total": total, "offset": offset, "limit": limit, "mentions": items})


def _event_json(e, names: dict) -> dict:
    return {"id": e.id, "title": mask(e.title), "status": e.status,
            "topic_id": e.topic_id, "topic": names["topics"].get(e.topic_id),
            "place_id": e.place_id, "place": names["places"].get(e.place_id),
            "communities": list(e.communities or []),
            "first_seen_at": _iso(e.first_seen_at), "last_seen_at": _iso(e.last_seen_at),
            "counts": {"mentions": e.mentions, "negative": e.negative, "stories": e.stories,
                       "sources": e.sources, "channels": e.channels, "authors": e.authors,
                       "weight": e.weight},
            "summary": [{"text": mask(x.get("text", "")), "url": x.get("url", "")}
                        for x in (e.summary or [])]}


@bp.get("/events")
@token_required
def events():
    """Events (事件), weightiest first; open to every token, like the mention search."""
    from yuqing.analysis.event_view import list_events

    paging = _paging()
    if paging is None:
        return error(400, f"limit 应为 1–{MAX_LIMIT} 的整数，offset 应为非负整数")
    limit, offset = paging
    since = None
    if request.args.get("since"):
        try:
            since = datetime.combine(date.fromisoformat(request.args["since"]), datetime.min.time(), SHANGHAI)
        except ValueError:
            return error(400, f"日期“{request.args['since']}”无法识别，应写作 2024-12-01")
    names = _names()
    with store()[1].session() as s:
        rows = list_events(s, since=since, limit=offset + limit, place_id=request.args.get("place") or None,
                           topic_id=request.args.get("topic") or None)[offset:]
        items = [_event_json(e, names) for e in rows]
    return jsonify({"offset": offset, "limit": limit, "events": items})


@bp.get("/events/<int:event_id>")
@token_required
def event(event_id: int):
    from yuqing.analysis.event_view import event_detail, resolve

    config, db = store()
    with db.session() as s:
        e = resolve(s, event_id)
        if e is None:
            return error(404, f"事件 {event_id} 不存在")
        detail = event_detail(s, config, _fact_reader(), e, now()).as_json()
    detail["title"] = mask(detail["title"])
    for line in detail["summary"]:
        line["text"] = mask(line["text"])
    if detail.get("first_report"):
        detail["first_report"]["title"] = mask(detail["first_report"]["title"])
    return jsonify(detail)


def _fact_reader():
    """The event reader (jieba with the config's words) is costly: one per app."""
    ext = current_app.extensions["yuqing"]
    if "fact_reader" not in ext:
        from yuqing.analysis.event_facts import FactReader

        ext["fact_reader"] = FactReader(ext["config"])
    return ext["fact_reader"]

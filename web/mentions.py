"""Mention search (搜索即服务, item 12 of the work points) and sentiment corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from yuqing.reports.stats import NEGATIVE, WHEN
from yuqing.storage.models import Mention, MentionTopic, Story
from yuqing.web.auth import login_required
from yuqing.web.context import store
from yuqing.web.corrections import NotYours, correct, export_tsv
from yuqing.timeutil import SHANGHAI, as_aware

bp = Blueprint("mentions", __name__)
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_PAGE = 10_000
PAGE = 50


@dataclass(frozen=True)
class Filters:
    q: str = ""
    topic: str = ""
    place: str = ""
    source: str = ""
    start: date | None = None
    end: date | None = None
    negative: bool = False
    page: int = 1
    since: datetime | None = None       # to the minute: the window a digest's counts describe
    until: datetime | None = None

    @classmethod
    def from_args(cls, args) -> tuple["Filters", list[str]]:
        problems = []

        def day(name: str) -> date | None:
            value = args.get(name, "").strip()
            if not value:
                return None
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                problems.append(f"日期“{value}”无法识别，应写作 2024-12-01")
                return None
            if not MIN_YEAR <= parsed.year <= MAX_YEAR:     # 0001-01-01 overflows in UTC
                problems.append(f"日期“{value}”超出范围（{MIN_YEAR}–{MAX_YEAR} 年）")
                return None
            return parsed

        def moment(name: str) -> datetime | None:
            value = args.get(name, "").strip()
            if not value:
                return None
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                problems.append(f"时间“{value}”无法识别，应写作 2024-12-01T08:00")
                return None
            if not MIN_YEAR <= parsed.year <= MAX_YEAR:
                problems.append(f"时间“{value}”超出范围（{MIN_YEAR}–{MAX_YEAR} 年）")
                return None
            return as_aware(parsed)

        try:
            page = min(max(1, int(args.get("page", 1))), MAX_PAGE)   # 1e20 overflows OFFSET
        except ValueError:
            page = 1
        return cls(args.get("q", "").strip()[:100], args.get("topic", ""), args.get("place", ""),
                   args.get("source", ""), day("start"), day("end"),
                   args.get("negative") in ("1", "on", "true"), page,
                   moment("since"), moment("until")), problems

    def args(self, **override) -> dict:
        values = {"q": self.q, "topic": self.topic, "place": self.place, "source": self.source,
                  "start": self.start.isoformat() if self.start else "",
                  "end": self.end.isoformat() if self.end else "",
                  "negative": "1" if self.negative else "", "page": self.page,
                  "since": self.since.isoformat(timespec="minutes") if self.since else "",
                  "until": self.until.isoformat(timespec="minutes") if self.until else ""}
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None) and (k != "page" or v != 1)}


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_query(f: Filters):
    query = select(Mention)
    for word in f.q.split():
        pattern = _like(word)
        query = query.where(or_(Mention.title.like(pattern, escape="\\"),
                                Mention.content.like(pattern, escape="\\")))
    if f.topic:
        query = query.where(Mention.id.in_(select(MentionTopic.mention_id)
                                           .where(MentionTopic.topic_id == f.topic)))
    if f.place:
        query = query.where(Mention.place_id == f.place)
    if f.source:
        query = query.where(Mention.source_id == f.source)
    if f.start:
        query = query.where(WHEN >= datetime.combine(f.start, datetime.min.time(), SHANGHAI))
    if f.end:
        query = query.where(WHEN < datetime.combine(f.end + timedelta(days=1), datetime.min.time(), SHANGHAI))
    if f.since:
        query = query.where(WHEN >= f.since)
    if f.until:
        query = query.where(WHEN <= f.until)
    if f.negative:
        query = query.where(NEGATIVE)
    return query


@bp.get("/search")
@login_required
def search():
    config, db = store()
    f, problems = Filters.from_args(request.args)
    size = current_app.config.get("SEARCH_PAGE_SIZE", PAGE)
    for problem in problems:
        flash(problem, "error")
    with db.session() as s:
        query = search_query(f)
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(query.add_columns(NEGATIVE, Story.copies)
                         .outerjoin(Story, Story.id == Mention.story_id)
                         .order_by(WHEN.desc(), Mention.id.desc())
                         .offset((f.page - 1) * size).limit(size)).all()
        topics: dict[int, list[str]] = {}
        for mention_id, topic_id in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                              .where(MentionTopic.mention_id.in_([r[0].id for r in rows]))):
            topics.setdefault(mention_id, []).append(topic_id)
    return render_template("search.html", f=f, rows=rows, total=total, topics=topics, page_size=size,
                           config=config, names={"topics": {t.id: t.name for t in config.topics},
                                                 "places": {p.id: p.name for p in config.places},
                                                 "sources": {x.id: x.name for x in config.sources}})


@bp.post("/mentions/<int:mention_id>/sentiment")
@login_required
def set_sentiment(mention_id: int):
    label = request.form.get("label")
    if label not in ("0", "1"):
        abort(400, "纠正结果应为 0（负面）或 1（非负面）。")
    config, db = store()
    try:
        found = correct(db, mention_id, int(label), g.user.username, g.user.acting_department,
                        config)
    except NotYours:
        abort(403, "只能纠正本部门辖区、主管领域或承办预警中的信息。")
    if not found:
        abort(404, f"信息 {mention_id} 不存在。")
    flash(f"已将信息 {mention_id} 标为{'非负面' if label == '1' else '负面'}，将用于情感模型训练。", "info")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/search") else url_for("mentions.search"))


@bp.get("/corrections.tsv")
@login_required
def corrections():
    text, _count = export_tsv(store()[1])
    return Response(text, mimetype="text/tab-separated-values; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=sentiment-corrections.tsv"})

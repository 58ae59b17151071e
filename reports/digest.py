"""The duty digest (值班摘要): what a duty officer must know at the start of a shift.

Built only from what the store holds; every warning and story links to its evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select

from alerts.messages import evidence, evidence_count
from analysis.privacy import mask
from config.models import Config
from storage.db import Database
from storage.models import Mention, Source, SourceRun, Story, Warning
from yuqing.timeutil import fmt, now

TEMPLATES = Path(__file__).resolve().parent / "templates"
DUE_SOON = timedelta(hours=6)
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["fmt"] = fmt
_env.filters["mask"] = mask


@dataclass
class WarningView:
    warning: Warning
    topic: str
    place: str
    receivers: list[tuple[str, str, bool]]    # name, role, acknowledged
    evidence: list[Mention]
    total: int


@dataclass
class StoryView:
    story: Story
    origin: Mention
    copies: int
    negative: int


@dataclass
class SourceProblem:
    name: str
    problem: str


@dataclass
class Digest:
    district: str
    since: datetime
    until: datetime
    new: list[WarningView] = field(default_factory=list)
    due_soon: list[WarningView] = field(default_factory=list)
    overdue: list[WarningView] = field(default_factory=list)
    stories: list[StoryView] = field(default_factory=list)
    sources: list[SourceProblem] = field(default_factory=list)
    mentions: int = 0
    negative: int = 0
    source_names: dict[str, str] = field(default_factory=dict)

    def markdown(self) -> str:
        return _env.get_template("digest.md.j2").render(d=self)

    def html(self) -> str:
        return _env.get_template("digest.html.j2").render(d=self)


def _view(s, config: Config, w: Warning) -> WarningView:
    names = {d.id: d.name for d in config.departments}
    return WarningView(
        warning=w, topic=config.topic(w.topic_id).name if w.topic_id else "未归类",
        place=config.place(w.place_id).name if w.place_id else "全区",
        receivers=[(names.get(a.department_id, a.department_id), a.role, a.acknowledged_at is not None)
                   for a in w.assignments if a.active],
        evidence=evidence(s, w, 5), total=evidence_count(s, w))


def build_digest(db: Database, config: Config, since: datetime | None = None,
                 until: datetime | None = None) -> Digest:
    until = until or now()
    since = since or until - timedelta(hours=12)
    digest = Digest(config.settings.district, since, until,
                    source_names={s.id: s.name for s in config.sources})
    with db.session() as s:
        open_ = s.scalars(select(Warning).where(Warning.status.in_(("open", "acknowledged")))
                          .order_by(Warning.respond_by)).all()
        new = s.scalars(select(Warning).where(Warning.opened_at >= since, Warning.opened_at <= until)
                        .order_by(Warning.opened_at.desc())).all()
        digest.new = [_view(s, config, w) for w in sorted(new, key=_severity_first)]
        digest.overdue = [_view(s, config, w) for w in open_ if w.respond_by and w.respond_by < until]
        digest.due_soon = [_view(s, config, w) for w in open_
                           if w.respond_by and until <= w.respond_by < until + DUE_SOON]
        digest.mentions = s.scalar(select(func.count(Mention.id)).where(Mention.fetched_at >= since)) or 0
        digest.negative = s.scalar(select(func.count(Mention.id)).where(
            Mention.fetched_at >= since, Mention.negative.is_(True))) or 0
        digest.stories = _top_stories(s, since, until)
        digest.sources = _source_problems(s, config)
    return digest


def _severity_first(w: Warning) -> tuple:
    order = {"特别重大": 0, "重大": 1, "较大": 2, "一般": 3}
    return (order.get(w.severity, 9), -w.opened_at.timestamp())


def _top_stories(s, since: datetime, until: datetime, limit: int = 5) -> list[StoryView]:
    rows = s.execute(
        select(Mention.story_id, func.count(Mention.id))
        .where(Mention.negative.is_(True), Mention.story_id.is_not(None),
               func.coalesce(Mention.published_at, Mention.fetched_at) >= since)
        .group_by(Mention.story_id).order_by(func.count(Mention.id).desc()).limit(limit)).all()
    views = []
    for story_id, negative in rows:
        story = s.get(Story, story_id)
        origin = s.get(Mention, story.origin_mention_id) if story.origin_mention_id else None
        if origin is not None:
            views.append(StoryView(story, origin, story.copies, negative))
    return views


def _source_problems(s, config: Config) -> list[SourceProblem]:
    problems = []
    for src in config.sources:
        if not src.enabled:
            continue
        health = s.get(Source, src.id)
        if health is None:
            problems.append(SourceProblem(src.name, "从未采集过"))
            continue
        if health.consecutive_failures:
            problems.append(SourceProblem(
                src.name, f"连续 {health.consecutive_failures} 次采集失败：{health.last_error}"
                          f"（上次成功：{fmt(health.last_success_at)}）"))
            continue
        last = s.scalars(select(SourceRun).where(SourceRun.source_id == src.id)
                         .order_by(SourceRun.id.desc()).limit(1)).first()
        if last and last.items_seen and last.empty_bodies == last.items_seen:
            problems.append(SourceProblem(src.name, f"最近一次采集的 {last.items_seen} 条内容正文全部为空，页面结构可能已改变"))
        elif last and last.status == "partial":
            problems.append(SourceProblem(src.name, f"最近一次采集有 {last.items_failed} 项失败：{(last.errors or [''])[0]}"))
    return problems

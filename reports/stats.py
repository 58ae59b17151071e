"""Queries shared by the digest, the weekly report and the dashboard's trend page.

Every figure is counted from stored mentions and warning records; days are Asia/Shanghai days.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from urllib.parse import urlencode

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yuqing.config.models import Config
from yuqing.storage.models import Mention, MentionTopic, Story, Warning, WarningEvent
from yuqing.timeutil import local

# An officer's correction wins over the classifier (1 = not negative, 0 = negative).
NEGATIVE = case((Mention.sentiment_corrected.is_not(None), Mention.sentiment_corrected < 0.5),
                else_=Mention.negative)
WHEN = func.coalesce(Mention.published_at, Mention.fetched_at)


def search_link(base_url: str, **filters) -> str:
    """A dashboard search URL: the mentions behind a figure (工作要点：搜索即服务)."""
    query = {k: v for k, v in filters.items() if v not in (None, "", False)}
    return f"{base_url.rstrip('/')}/search?{urlencode(query)}"


@dataclass
class TopicDays:
    topic_id: str
    name: str
    days: list[date]
    volume: list[int]
    negative: list[int]

    @property
    def total(self) -> int:
        return sum(self.volume)

    @property
    def negative_total(self) -> int:
        return sum(self.negative)

    def share(self) -> list[float | None]:
        return [n / v if v else None for n, v in zip(self.negative, self.volume)]


def topic_days(s: Session, config: Config, start: datetime, days: int) -> list[TopicDays]:
    """Volume and negative count per topic per day, for every configured topic."""
    end = start + timedelta(days=days)
    first = local(start).date()
    span = [first + timedelta(days=i) for i in range(days)]
    rows = s.execute(select(MentionTopic.topic_id, WHEN, NEGATIVE)
                     .join(Mention, Mention.id == MentionTopic.mention_id)
                     .where(WHEN >= start, WHEN < end)).all()
    volume: dict[str, Counter] = defaultdict(Counter)
    negative: dict[str, Counter] = defaultdict(Counter)
    for topic_id, when, neg in rows:
        day = local(when).date()
        volume[topic_id][day] += 1
        if neg:
            negative[topic_id][day] += 1
    return [TopicDays(t.id, t.name, span, [volume[t.id][d] for d in span],
                      [negative[t.id][d] for d in span]) for t in config.topics]


@dataclass
class StoryLine:
    story: Story
    origin: Mention
    copies: int          # copies stored in the period
    negative: int
    sources: list[str]
    topics: list[str]


def top_stories(s: Session, config: Config, start: datetime, end: datetime,
                limit: int = 8, negative_only: bool = True) -> list[StoryLine]:
    """Stories with the most copies in the period (negative copies first when asked)."""
    neg = func.sum(case((NEGATIVE, 1), else_=0))
    query = (select(Mention.story_id, func.count(Mention.id), neg)
             .where(Mention.story_id.is_not(None), WHEN >= start, WHEN < end)
             .group_by(Mention.story_id))
    if negative_only:
        query = query.having(neg > 0).order_by(neg.desc(), func.count(Mention.id).desc())
    else:
        query = query.order_by(func.count(Mention.id).desc(), neg.desc())
    source_names = {src.id: src.name for src in config.sources}
    topic_names = {t.id: t.name for t in config.topics}
    lines = []
    for story_id, copies, negative in s.execute(query.limit(limit)).all():
        story = s.get(Story, story_id)
        origin = s.get(Mention, story.origin_mention_id) if story.origin_mention_id else None
        if origin is None:
            continue
        sources = s.scalars(select(Mention.source_id).where(Mention.story_id == story_id)
                            .distinct()).all()
        lines.append(StoryLine(story, origin, max(copies, story.copies), int(negative or 0),
                               sorted(source_names.get(x, x) for x in sources),
                               [topic_names.get(t.topic_id, t.topic_id) for t in origin.topics]))
    return lines


@dataclass
class DepartmentResponse:
    """How one department met its own duties (部门响应时效): its own clocks, its own actions.

    `received` counts the duties with a 签收 clock; responses count only duties with a 回应
    clock (主管 / 处置 / 值班). A clock still running is pending (未到期), never late.
    """

    department_id: str
    name: str
    received: int = 0
    acknowledged: int = 0
    ack_on_time: int = 0
    ack_pending: int = 0           # 未到期: not yet signed, its clock still running
    ack_late: int = 0              # not signed, clock run out
    must_respond: int = 0
    responded: int = 0
    respond_on_time: int = 0
    respond_pending: int = 0       # 未到期
    overdue_open: int = 0          # not responded, clock run out, warning still open
    closed_unanswered: int = 0     # the duty office closed it before this department responded
    closed: int = 0                # warnings of its own it closed
    ack_hours: list[float] = field(default_factory=list)
    respond_hours: list[float] = field(default_factory=list)
    warning_ids: list[int] = field(default_factory=list)

    @staticmethod
    def _median(values: list[float]) -> float | None:
        return round(median(values), 1) if values else None

    @property
    def median_ack(self) -> float | None:
        return self._median(self.ack_hours)

    @property
    def median_respond(self) -> float | None:
        return self._median(self.respond_hours)


def _hours(start: datetime | None, end: datetime) -> float:
    return (end - start).total_seconds() / 3600 if start else 0.0


def department_responses(s: Session, config: Config, start: datetime, end: datetime,
                         at: datetime) -> list[DepartmentResponse]:
    """Per department, its own duties on the warnings opened in the period, each against its
    own deadlines (谁主管谁回应、谁处置谁回应: one department's response never counts for another).
    Duties moved away (改派) or sent back (退回) are not counted; 抄送 and 上报 have no clocks."""
    from yuqing.storage.models import Assignment

    names = {d.id: d.name for d in config.departments}
    duties = s.execute(select(Assignment, Warning)
                       .join(Warning, Warning.id == Assignment.warning_id)
                       .where(Warning.opened_at >= start, Warning.opened_at < end,
                              Assignment.active.is_(True), Assignment.state != "returned",
                              Assignment.acknowledge_by.is_not(None))
                       .order_by(Warning.id, Assignment.id)).all()
    closers = dict(s.execute(select(WarningEvent.warning_id, WarningEvent.detail)
                             .where(WarningEvent.action == "关闭",
                                    WarningEvent.warning_id.in_({w.id for _, w in duties} or {-1}))).all())
    rows: dict[str, DepartmentResponse] = {}
    for a, w in duties:
        row = rows.setdefault(a.department_id, DepartmentResponse(
            a.department_id, names.get(a.department_id, a.department_id)))
        row.received += 1
        row.warning_ids.append(w.id)
        began = a.assigned_at or w.opened_at
        if a.acknowledged_at:
            row.acknowledged += 1
            row.ack_hours.append(_hours(began, a.acknowledged_at))
            row.ack_on_time += a.acknowledged_at <= a.acknowledge_by
        elif w.closed_at is None and a.acknowledge_by >= at:
            row.ack_pending += 1
        elif w.closed_at is None or a.acknowledge_by < w.closed_at:
            row.ack_late += 1
        if w.closed_at is not None and closers.get(w.id, "").startswith(row.name):
            row.closed += 1
        if a.respond_by is None:
            continue
        row.must_respond += 1
        if a.responded_at:
            row.responded += 1
            row.respond_hours.append(_hours(began, a.responded_at))
            row.respond_on_time += a.responded_at <= a.respond_by
        elif w.closed_at is not None:
            row.closed_unanswered += 1
        elif a.respond_by >= at:
            row.respond_pending += 1
        else:
            row.overdue_open += 1
    return sorted(rows.values(), key=lambda r: (-r.received, r.department_id))


@dataclass
class Closure:
    """A warning closed in the period, for the duty office: who closed it and why."""

    warning: Warning
    at: datetime
    actor: str
    detail: str


def closures(s: Session, start: datetime, end: datetime) -> list[Closure]:
    rows = s.execute(select(WarningEvent, Warning).join(Warning, Warning.id == WarningEvent.warning_id)
                     .where(WarningEvent.action == "关闭", WarningEvent.at >= start, WarningEvent.at < end)
                     .order_by(WarningEvent.at)).all()
    return [Closure(w, e.at, e.actor, e.detail) for e, w in rows]

"""The duty digest (值班摘要): what a duty officer must know at the start of a shift.

Built only from what the store holds; every warning links to its dashboard page and its
evidence, every story to its first copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from yuqing.alerts.messages import evidence, evidence_count
from yuqing.analysis.speakers import Speakers
from yuqing.config.models import Config
from yuqing.reports.dutyview import DutyView, duty_views
from yuqing.reports.render import clock, render
from yuqing.crawlers.health import SourceProblem, source_problems_in
from yuqing.alerts.event_link import event_warnings, trigger_sentence, warning_events
from yuqing.reports.hot_events import EventLine, event_link, hot_events, major_warning_events
from yuqing.reports.stats import NEGATIVE, search_link
from yuqing.storage.db import Database
from yuqing.channels import channel_for_source, label
from yuqing.storage.models import Mention, Source, Warning
from yuqing.timeutil import local, now

__all__ = ["Digest", "WarningView", "build_digest", "default_since", "render", "warning_view"]

DUE_SOON = timedelta(hours=6)
ORDER = {"特别重大": 0, "重大": 1, "较大": 2, "一般": 3}


@dataclass
class WarningView:
    warning: Warning
    topic: str
    place: str
    receivers: list[tuple[str, str, bool]]    # name, role, acknowledged
    evidence: list[Mention]
    total: int
    link: str = ""                            # its dashboard page
    duties: list[DutyView] = field(default_factory=list)   # each department's own clocks
    events: list[tuple] = field(default_factory=list)   # (Event, evidence in it, its page)
    trigger: str = ""                         # what set it off, in one sentence

    def ack_late(self, at: datetime) -> bool:
        """Past its acknowledgement deadline with a receiver that has not signed."""
        w = self.warning
        return bool(w.acknowledge_by and w.acknowledge_by < at and w.status in ("open", "acknowledged")
                    and any(not ack for _, _, ack in self.receivers))

    def clock(self, at: datetime) -> str:
        if self.warning.status in ("responded", "closed"):
            return "已回应" if self.warning.status == "responded" else "已关闭"
        return clock(self.warning.respond_by, at)


@dataclass
class Digest:
    district: str
    since: datetime
    until: datetime
    dashboard: str = ""
    new: list[WarningView] = field(default_factory=list)
    due_soon: list[WarningView] = field(default_factory=list)
    overdue: list[WarningView] = field(default_factory=list)
    unacknowledged: list[WarningView] = field(default_factory=list)
    events: list[EventLine] = field(default_factory=list)   # 负面热点
    sources: list[SourceProblem] = field(default_factory=list)
    health: list[str] | None = None           # None: no health checks installed
    mentions: int = 0
    negative: int = 0
    source_names: dict[str, str] = field(default_factory=dict)
    per_department: list[tuple[str, int, int]] = field(default_factory=list)   # name, overdue, due soon
    speaker: object = None                    # mention -> who said it (analysis.speakers)
    channels: list[tuple[str, int, int]] = field(default_factory=list)   # 渠道, items, negative

    @property
    def negative_link(self) -> str:
        """The same window as the header's counts, to the minute."""
        return search_link(self.dashboard, since=local(self.since).isoformat(timespec="minutes"),
                           until=local(self.until).isoformat(timespec="minutes"), negative=1)

    def markdown(self) -> str:
        return render("digest.md.j2", d=self)

    def html(self) -> str:
        return render("digest.html.j2", d=self)


def warning_view(s, config: Config, w: Warning, shown: list[Mention], total: int,
                 at: datetime | None = None) -> WarningView:
    names = {d.id: d.name for d in config.departments}
    events = [(e, n, event_link(config, e.id)) for e, n in warning_events(s, w)[:3]]
    return WarningView(
        events=events, trigger=trigger_sentence(config, w, evidence(s, w, None)),
        warning=w, topic=config.topic(w.topic_id).name if w.topic_id else "未归类",
        place=config.place(w.place_id).name if w.place_id else "全区",
        receivers=[(names.get(a.department_id, a.department_id), a.role, a.acknowledged_at is not None)
                   for a in w.assignments if a.active],
        evidence=shown, total=total,
        link=f"{config.settings.delivery.dashboard_url.rstrip('/')}/warnings/{w.id}",
        duties=duty_views(config, w.assignments, at or now()))


def default_since(config: Config, until: datetime) -> datetime:
    """The previous shift's digest time (settings.schedules.digest_times), Asia/Shanghai.

    A digest run a little after 18:00 covers the shift since 08:00; one run by hand at 17:00
    covers the same shift so far.
    """
    times = config.settings.schedules.digest_times
    if not times:
        return until - timedelta(hours=12)
    cutoff = local(until) - timedelta(minutes=30)
    candidates = [datetime.combine(cutoff.date() - timedelta(days=back), t, tzinfo=cutoff.tzinfo)
                  for back in (0, 1, 2) for t in times]
    return max(c for c in candidates if c <= cutoff)


def build_digest(db: Database, config: Config, since: datetime | None = None,
                 until: datetime | None = None) -> Digest:
    until = until or now()
    since = since or default_since(config, until)
    digest = Digest(config.settings.district, since, until, config.settings.delivery.dashboard_url,
                    source_names={s.id: s.name for s in config.sources}, speaker=Speakers(config))

    def view(w: Warning) -> WarningView:
        return warning_view(s, config, w, evidence(s, w, 5), evidence_count(s, w), until)

    with db.session() as s:
        running = s.scalars(select(Warning).where(Warning.closed_at.is_(None))
                            .order_by(Warning.respond_by)).all()
        new = s.scalars(select(Warning).where(Warning.opened_at >= since, Warning.opened_at <= until)
                        .order_by(Warning.opened_at.desc())).all()
        # each warning once, in the first section it belongs to (its card shows every clock);
        # each department's own clock: one department's response never clears another's
        shown: set[int] = set()
        clocks = {w.id: duty_views(config, w.assignments, until) for w in running}

        def once(warnings) -> list[WarningView]:
            fresh = [w for w in warnings if w.id not in shown]
            shown.update(w.id for w in fresh)
            return [view(w) for w in fresh]

        def any_duty(w: Warning, test) -> bool:
            return any(test(u) for u in clocks[w.id])

        digest.new = once(sorted(new, key=_severity_first))
        digest.overdue = once([w for w in running if any_duty(
            w, lambda u: u.respond_by and not u.responded and u.respond_by < until)])
        digest.due_soon = once([w for w in running if any_duty(
            w, lambda u: u.respond_by and not u.responded and until <= u.respond_by < until + DUE_SOON)])
        digest.unacknowledged = once([w for w in running if any_duty(
            w, lambda u: u.acknowledge_by and not u.acknowledged and u.acknowledge_by < until)])
        digest.per_department = _per_department(clocks.values(), until)
        window = (func.coalesce(Mention.published_at, Mention.fetched_at) >= since,
                  func.coalesce(Mention.published_at, Mention.fetched_at) <= until)
        digest.mentions = s.scalar(select(func.count(Mention.id)).where(*window)) or 0
        digest.negative = s.scalar(select(func.count(Mention.id)).where(*window, NEGATIVE)) or 0
        digest.events = hot_events(s, config, since, until, limit=5,
                                   must=major_warning_events(s, running))
        for line in digest.events:
            line.warnings = line.warnings or [w for w in event_warnings(s, line.event)
                                              if w.status != "closed"]
        digest.channels = _channels(s, config, window)
        # imported channels (12345, MediaCrawler) are not in the config's sources
        digest.source_names = {**dict(s.execute(select(Source.id, Source.name)).all()),
                               **digest.source_names}
        digest.sources = source_problems_in(s, config, until)
    digest.health = _health(db, config, until)
    return digest


def _channels(s, config: Config, window) -> list[tuple[str, int, int]]:
    """Items and negative items per channel (渠道): where the public said it. Items stored
    before mentions had a channel take their source's."""
    of_source = {src.id: src.channel or channel_for_source(src.kind, src.urls[0], src.authority)
                 for src in config.sources}
    rows = s.execute(select(Mention.channel, Mention.source_id, func.count(Mention.id),
                            func.sum(case((NEGATIVE, 1), else_=0)))
                     .where(*window).group_by(Mention.channel, Mention.source_id)).all()
    totals: dict[str, list[int]] = {}
    for channel, source_id, n, neg in rows:
        row = totals.setdefault(label(channel or of_source.get(source_id, "")), [0, 0])
        row[0] += n
        row[1] += int(neg or 0)
    return sorted(((name, n, neg) for name, (n, neg) in totals.items()), key=lambda r: (-r[1], r[0]))


def _per_department(clocks, until: datetime) -> list[tuple[str, int, int]]:
    """Overdue and due-soon duties per department (签收 or 回应, each on its own clock)."""
    counts: dict[str, list[int]] = {}
    for duties in clocks:
        for u in duties:
            pending = [d for d, done in ((u.acknowledge_by, u.acknowledged), (u.respond_by, u.responded))
                       if d is not None and not done]
            if not pending:
                continue
            row = counts.setdefault(u.name, [0, 0])
            if min(pending) < until:
                row[0] += 1
            elif min(pending) < until + DUE_SOON:
                row[1] += 1
    return sorted(((name, o, d) for name, (o, d) in counts.items() if o or d), key=lambda r: (-r[1], -r[2], r[0]))


def _severity_first(w: Warning) -> tuple:
    return (ORDER.get(w.severity, 9), -w.opened_at.timestamp())


def _health(db: Database, config: Config, at: datetime) -> list[str]:
    """System problems (系统运行状况): scheduler, jobs, outbox."""
    from yuqing.reports.health import system_problems

    return list(system_problems(db, config, at))

"""Detection: open or update warnings from spikes and single-item rules.

Each warning has an idempotent key; a running spike updates its warning (new evidence,
higher severity) instead of opening another, and is marked subsided when its series
returns to normal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from alerts.outbox import open_or_update
from alerts.series import Series, build_series
from config.models import Config
from config.types import severity_rank
from storage.db import Database, retry_locked
from storage.models import Mention, Warning
from yuqing.timeutil import now


@dataclass(frozen=True)
class Finding:
    """What detection saw; `open_or_update` turns it into a warning."""

    key: str                  # series key (spike) or item key: stable across runs
    kind: str                 # spike / critical / unanswered
    topic_id: str | None
    place_id: str | None
    severity: str
    title: str
    summary: str
    mention_ids: tuple[int, ...]
    count: float = 0
    baseline: float = 0


@dataclass
class DetectionSummary:
    findings: list[Finding] = field(default_factory=list)
    opened: int = 0
    updated: int = 0
    subsided: int = 0


def severity_of(config: Config, series: Series) -> str | None:
    level = None
    for rule in config.settings.detection.levels:
        if (series.count >= rule.min_count and series.ratio() >= rule.min_ratio
                and series.robust_z() >= rule.min_z):
            if level is None or severity_rank(rule.level) > severity_rank(level):
                level = rule.level
    return level


def spike_findings(config: Config, series: dict[tuple, Series]) -> list[Finding]:
    findings = []
    for (topic_id, place_id), item in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        level = severity_of(config, item)
        if level is None:
            continue
        topic = config.topic(topic_id).name
        place = config.place(place_id).name if place_id else "全区"
        median, _ = item.baseline()
        findings.append(Finding(
            key=f"spike:{topic_id}:{place_id or '-'}", kind="spike", topic_id=topic_id,
            place_id=place_id, severity=level, title=f"{place}“{topic}”负面舆情上升",
            summary=(f"近{_hours(config)}小时负面信息加权计 {item.count:.1f}，"
                     f"基线中位数 {median:.1f}（{len(item.window)} 个事件）"),
            mention_ids=tuple(item.mention_ids), count=item.count, baseline=median))
    # A place-level spike already names the topic; drop the district-wide one it explains.
    placed = {f.topic_id for f in findings if f.place_id}
    return [f for f in findings if f.place_id or f.topic_id not in placed]


def _hours(config: Config) -> int:
    return int(config.settings.detection.window.total_seconds() // 3600)


def item_findings(db: Database, config: Config, at: datetime) -> list[Finding]:
    det = config.settings.detection
    findings = []
    with db.session() as s:
        recent = s.scalars(select(Mention).where(
            Mention.analysed_at.is_not(None), Mention.fetched_at >= at - det.window)).all()
        for m in recent:
            words = [w for w in det.critical_words if w in m.title or w in m.content[:2000]]
            relevant = m.place_id or m.topics
            if words and relevant and (m.when >= at - det.window):
                topic = m.topics[0].topic_id if m.topics else None
                findings.append(Finding(
                    key=f"critical:{m.story_id or m.id}", kind="critical", topic_id=topic,
                    place_id=m.place_id, severity=det.critical_severity,
                    title=f"突发：{m.title[:60]}",
                    summary=f"出现关键词：{'、'.join(words)}", mention_ids=(m.id,)))
        waiting = s.scalars(select(Mention).where(
            Mention.kind == "message", Mention.reply == "", Mention.analysed_at.is_not(None),
            Mention.published_at <= at - det.unanswered_board_after)).all()
        for m in waiting:
            topic = m.topics[0].topic_id if m.topics else None
            days = (at - m.published_at).days
            findings.append(Finding(
                key=f"unanswered:{m.id}", kind="unanswered", topic_id=topic, place_id=m.place_id,
                severity="一般", title=f"群众留言 {days} 天未答复：{m.title[:50]}",
                summary=f"留言于 {days} 天前发布，至今没有部门答复", mention_ids=(m.id,)))
    return findings


@retry_locked
def detect(db: Database, config: Config, at: datetime | None = None) -> DetectionSummary:
    at = at or now()
    series = build_series(db, config, at)
    summary = DetectionSummary(spike_findings(config, series) + item_findings(db, config, at))
    for finding in summary.findings:
        outcome = open_or_update(db, config, finding, at)
        summary.opened += outcome == "opened"
        summary.updated += outcome == "updated"
    summary.subsided = _subside(db, config, series, at)
    return summary


def _subside(db: Database, config: Config, series: dict[tuple, Series], at: datetime) -> int:
    count = 0
    with db.session() as s:
        running = s.scalars(select(Warning).where(
            Warning.kind == "spike", Warning.subsided_at.is_(None))).all()
        for warning in running:
            item = series.get((warning.topic_id, warning.place_id))
            quiet_for = at - warning.updated_at
            if (item is None or severity_of(config, item) is None) and \
                    quiet_for >= config.settings.detection.subside_after:
                warning.subsided_at = at
                from alerts.outbox import record
                record(s, warning, "系统", "回落", "该序列已回到基线水平")
                count += 1
    return count

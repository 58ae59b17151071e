"""Detection: open or update warnings from spikes and single-item rules.

Each warning has an idempotent key; a running spike updates its warning (new evidence,
higher severity) instead of opening another, and is marked subsided when its series
returns to normal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from yuqing.alerts.outbox import open_or_update, record
from yuqing.alerts.rules import Finding, item_findings
from yuqing.alerts.series import Series, build_series, window_mentions
from yuqing.config.models import Config
from yuqing.config.types import severity_rank
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Warning, WarningEvidence
from yuqing.timeutil import now

__all__ = ["Finding", "DetectionSummary", "detect", "severity_of", "spike_findings"]
# Proposed defaults for settings.detection.levels (min_count, min_ratio, min_z), measured
# with bench/simulate_month.py: min_z is now the Poisson-tail z of the story count, and
# with ~130 series watched all month, 一般 needs z ≥ 4 (p ≈ 3e-5) for noise to stay quiet.
@dataclass
class DetectionSummary:
    findings: list[Finding] = field(default_factory=list)
    opened: int = 0
    updated: int = 0
    subsided: int = 0


def min_stories(config: Config) -> int:
    """The minimum volume: distinct negative stories before any spike level applies."""
    return config.settings.detection.min_stories


def severity_of(config: Config, series: Series) -> str | None:
    """The highest level whose every threshold the series meets (levels are a config table)."""
    if series.stories < min_stories(config):
        return None
    level = None
    for rule in config.settings.detection.levels:
        if (series.count >= rule.min_count and series.ratio() >= rule.min_ratio
                and series.robust_z() >= rule.min_z):
            if level is None or severity_rank(rule.level) > severity_rank(level):
                level = rule.level
    return level


def strongest(config: Config, items: list[Series]) -> tuple[str | None, Series | None]:
    """Over a series' windows, the one at the highest level (ties: the longer window)."""
    best: tuple[str | None, Series | None] = (None, None)
    for item in items:
        level = severity_of(config, item)
        if level and (best[0] is None or severity_rank(level) >= severity_rank(best[0])):
            best = (level, item)
    return best


def _hours(series: Series) -> str:
    hours = series.window.length.total_seconds() / 3600
    return f"{hours:g}"


def spike_findings(db: Database, config: Config, series: dict[tuple, list[Series]],
                   at: datetime) -> list[Finding]:
    findings = []
    for (topic_id, place_id), items in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        level, item = strongest(config, items)
        if level is None:
            continue
        topic = config.topic(topic_id).name
        place = config.place(place_id).name if place_id else "全区"
        median, _ = item.baseline()
        same_hour = "同时段" if item.window.step != item.window.length else ""
        findings.append(Finding(
            key=f"spike:{topic_id}:{place_id or '-'}", kind="spike", topic_id=topic_id,
            place_id=place_id, severity=level, title=f"{place}“{topic}”负面舆情上升",
            summary=(f"近{_hours(item)}小时负面信息 {item.stories} 起，加权计 {item.count:.1f}；"
                     f"过去{item.window.samples}个{same_hour}周期中位数 {median:.1f}"),
            mention_ids=tuple(window_mentions(db, topic_id, place_id, item.window, at)),
            count=item.count, baseline=median))
    # A place-level spike already names the topic; drop the district-wide one it explains.
    placed = {f.topic_id for f in findings if f.place_id}
    return [f for f in findings if f.place_id or f.topic_id not in placed]


@retry_locked
def detect(db: Database, config: Config, at: datetime | None = None) -> DetectionSummary:
    at = at or now()
    series = build_series(db, config, at)
    summary = DetectionSummary(spike_findings(db, config, series, at) + item_findings(db, config, at))
    for finding in _changed(db, summary.findings):
        outcome = open_or_update(db, config, finding, at)
        summary.opened += outcome == "opened"
        summary.updated += outcome == "updated"
    summary.subsided = _subside(db, config, series, at)
    return summary


def _changed(db: Database, findings: list[Finding]) -> list[Finding]:
    """Single-item findings whose warning already holds all their evidence change nothing:
    skip them in one query, instead of one transaction each, every cycle."""
    items = {f.key: f for f in findings if f.kind != "spike"}
    held: dict[str, set[int]] = {}
    keys = list(items)
    with db.session() as s:
        for i in range(0, len(keys), 500):
            rows = s.execute(select(Warning.key, WarningEvidence.mention_id)
                             .join(WarningEvidence, WarningEvidence.warning_id == Warning.id)
                             .where(Warning.key.in_(keys[i:i + 500]))).all()
            for key, mid in rows:
                held.setdefault(key, set()).add(mid)
    return [f for f in findings if f.kind == "spike" or f.key not in held
            or set(f.mention_ids) - held[f.key]]


def _subside(db: Database, config: Config, series: dict[tuple, list[Series]], at: datetime) -> int:
    """A spike whose series stopped firing, with no new evidence for `subside_after`, has
    subsided (回落); it stays open for its response, and a new spike opens a new warning."""
    count = 0
    with db.session() as s:
        running = s.scalars(select(Warning).where(
            Warning.kind == "spike", Warning.subsided_at.is_(None))).all()
        for warning in running:
            level, _ = strongest(config, series.get((warning.topic_id, warning.place_id), []))
            if level is None and at - warning.updated_at >= config.settings.detection.subside_after:
                warning.subsided_at = at
                record(s, warning, "系统", "回落", "该序列已回到基线水平", at)
                count += 1
    return count

"""Detection: open or update warnings from spikes, slow burns and single-item rules.

Each warning has an idempotent key; a running spike updates its warning (new evidence,
higher severity) instead of opening another, and is marked subsided when its series
returns to normal.

Series per topic × place, per topic district-wide, and the catch-all (未归类) per place and
district-wide. A topic spike at a place absorbs the catch-all spike there when it holds a
fair share of its stories (one matter, one warning, graded on all its items); otherwise the
catch-all warns on its own, labelled 未归类, for the duty office to assign.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from yuqing.alerts.outbox import EPISODIC, open_or_update, record
from yuqing.alerts.official import official_responses
from yuqing.alerts.rules import Finding, item_findings
from yuqing.alerts.series import (CATCHALL, Series, build_series, daily, evidence_part, fill_evidence, in_range,
                                  windows)
from yuqing.alerts.trend import trend_findings, trend_of
from yuqing.config.models import Config
from yuqing.config.types import severity_rank
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Mention, Warning, WarningEvidence
from yuqing.timeutil import now

MIN_HISTORY = timedelta(days=3)     # less history than this: no baseline to speak of

__all__ = ["Finding", "DetectionSummary", "detect", "severity_of", "spike_findings", "explain"]


@dataclass
class DetectionSummary:
    findings: list[Finding] = field(default_factory=list)
    opened: int = 0
    updated: int = 0
    subsided: int = 0
    responses: int = 0
    notes: list[str] = field(default_factory=list)     # why a part of detection did not run


def meets(series: Series, rule) -> bool:
    """Whether the series meets every threshold of one row of the severity table."""
    s = series.now
    return (s.count >= rule.min_count and series.ratio() >= rule.min_ratio
            and series.robust_z() >= rule.min_z and s.authors >= rule.min_authors
            and s.sources >= rule.min_sources and len(s.channels) >= rule.min_channels)


def severity_of(config: Config, series: Series) -> str | None:
    """The highest level one of whose rows the series meets in full (levels are a config
    table; a level may have several rows, e.g. reach across outlets or volume alone)."""
    det = config.settings.detection
    s = series.now
    if s.stories < det.min_stories or s.units < det.min_units:
        return None
    level = None
    for rule in det.levels:
        if meets(series, rule):
            if level is None or severity_rank(rule.level) > severity_rank(level):
                level = rule.level
    return level


def strongest(config: Config, items: list[Series]) -> tuple[str | None, Series | None]:
    """Over a series' windows, the one at the highest level (ties: the longer window)."""
    best: tuple[str | None, Series | None] = (None, None)
    for item in items:
        level = severity_of(config, item)
        if level and (best[0] is None or severity_rank(level) >= severity_rank(best[0])
                      and item.window.length >= best[1].window.length):
            best = (level, item)
    return best


def _hours(series: Series) -> str:
    return f"{series.window.length.total_seconds() / 3600:g}"


def explain(config: Config, series: Series, level: str) -> str:
    """Why the warning has its grade, in the words a duty officer reads."""
    s = series.now
    usual = series.usual_items()
    same_hour = "同时段" if series.window.step != series.window.length else ""
    usual_text = f"平时{same_hour}约{usual:.0f}条" if usual >= 0.5 else f"平时{same_hour}几乎没有"
    channels = "、".join(s.channels)
    text = (f"近{_hours(series)}小时负面{s.items}条（{s.stories}个独立内容），{usual_text}；"
            f"来自{s.sources}个来源、{s.authors}个发布者、{len(s.channels)}个渠道（{channels}）")
    rows = [r for r in config.settings.detection.levels if r.level == level]
    rule = next((r for r in rows if meets(series, r)), rows[0])
    bars = [f"加权声量{s.count:.1f}≥{rule.min_count:g}"]
    if rule.min_ratio:
        bars.append(f"为平时的{series.ratio():.1f}倍≥{rule.min_ratio:g}")
    if rule.min_authors:
        bars.append(f"发布者{s.authors}≥{rule.min_authors}")
    if rule.min_sources:
        bars.append(f"来源{s.sources}≥{rule.min_sources}")
    if rule.min_channels:
        bars.append(f"渠道{len(s.channels)}≥{rule.min_channels}")
    return f"{text}。定为{level}：{'，'.join(bars)}"


def _names(config: Config, topic_id: str, place_id: str | None) -> tuple[str, str]:
    topic = "未归类事项" if topic_id == CATCHALL else f"“{config.topic(topic_id).name}”"
    place = config.place(place_id).name if place_id else "全区"
    return topic, place


def _finding(db, config, key_topic, place_id, level, item, at, summary=None) -> Finding:
    topic, place = _names(config, key_topic, place_id)
    median, _ = item.baseline()
    return Finding(
        key=f"spike:{key_topic}:{place_id or '-'}", kind="spike",
        topic_id=None if key_topic == CATCHALL else key_topic, place_id=place_id,
        severity=level, title=f"{place}{topic}负面舆情上升",
        summary=summary or explain(config, item, level),
        mention_ids=(), evidence=(evidence_part(key_topic, place_id, item.window, at),),
        count=item.count, baseline=median)


def spike_findings(db: Database, config: Config, series: dict[tuple, list[Series]],
                   at: datetime) -> list[Finding]:
    firing: dict[tuple, tuple[str, Series]] = {}
    for key, items in series.items():
        if key[0] == CATCHALL and not config.settings.detection.catchall:
            continue
        level, item = strongest(config, items)
        if level is not None:
            firing[key] = (level, item)
    findings: dict[tuple, Finding] = {}
    for key in sorted(firing, key=lambda k: (k[0] == CATCHALL, k[0], k[1] or "")):
        if key[0] == CATCHALL:
            continue
        level, item = firing[key]
        findings[key] = _finding(db, config, key[0], key[1], level, item, at)
    absorbed = _fold_catchall(db, config, series, firing, findings, at)
    # A place-level spike already names the matter; drop the district-wide one it explains.
    placed_topics = {k[0] for k in findings if k[1]} | {k[0] for k in absorbed}
    placed_any = any(k[1] for k in findings)
    out = []
    for (topic, place), f in findings.items():
        if place is None and (topic in placed_topics or (topic == CATCHALL and placed_any)):
            continue
        out.append(f)
    return fill_evidence(db, config, out)


def _fold_catchall(db, config, series, firing, findings, at) -> set[tuple]:
    """The catch-all at a place either raises the topic spike there that explains it, or
    warns on its own as 未归类. A topic explains it when the topic's items make up at least
    `catchall_share` of the place's negative items now — whether or not the topic series
    fires on its own: topic rules name only part of what people write about one matter.
    The matter is then graded and evidenced on every negative item in the place, and other
    topic spikes there holding less than that share (the same complaints read as another
    topic, a word here and there) are part of it, not matters of their own."""
    share = config.settings.detection.catchall_share
    absorbed: set[tuple] = set()
    for key in sorted((k for k in firing if k[0] == CATCHALL), key=lambda k: k[1] or ""):
        level, item = firing[key]
        place = key[1]
        if place is None and any(k[0] != CATCHALL and k[1] is None for k in findings):
            continue       # a district-wide topic spike names it
        best, minor = None, []
        for tkey, titems in series.items():
            if tkey[1] != place or tkey[0] == CATCHALL:
                continue
            titem = next((t for t in titems if t.window == item.window), None)
            if titem is None or not titem.story_keys:
                continue
            covered = len(titem.story_keys & item.story_keys) / max(1, len(item.story_keys))
            rank = (covered, tkey in findings, tkey[0])
            if covered >= share and (best is None or rank > best[0]):
                best = (rank, tkey, titem)
            if tkey in findings:
                minor.append((covered, tkey))
        if best is None:
            # on its own it needs several voices: the catch-all adds up whatever is negative
            if item.now.authors >= config.settings.detection.catchall_min_authors:
                findings[key] = _finding(db, config, CATCHALL, place, level, item, at)
            continue
        _, tkey, titem = best
        f = findings.get(tkey)
        if f is not None and severity_rank(level) < severity_rank(f.severity):
            continue
        if place is not None:
            top = best[0][0]
            for covered, other in minor:
                if (other != tkey and covered < min(2 * share, top / 2)
                        and severity_rank(findings[other].severity) <= severity_rank(level)):
                    del findings[other]
                    absorbed.add(other)
        if f is not None and f.count >= item.count:
            continue
        # graded on every negative item in the place
        topic, _ = _names(config, tkey[0], place)
        summary = (explain(config, item, level)
                   + f"（其中{len(titem.story_keys & item.story_keys)}个内容归入{topic}，其余未归类或归入其他主题、同期同地）")
        base = f or _finding(db, config, tkey[0], place, level, titem, at, summary=summary)
        findings[tkey] = replace(base, severity=level, summary=summary, count=item.count,
                                 evidence=base.evidence + (evidence_part(CATCHALL, place, item.window, at),))
    return absorbed


@retry_locked
def detect(db: Database, config: Config, at: datetime | None = None,
           rollups: bool = True) -> DetectionSummary:
    """One detection cycle. The baseline is read from the hourly rollups (`rollups=False`:
    from the mentions directly, the reference the rollups are tested against)."""
    with _collector_paused():
        return _detect(db, config, at or now(), rollups)


@contextmanager
def _collector_paused():
    """No cyclic garbage collection during a cycle: a cycle allocates tens of thousands of
    short-lived rows and tuples, and the collections they trigger walk every object the
    process holds (config, ORM, SQLAlchemy's caches) — on the bench store a third of the
    cycle's CPU. Whatever cyclic garbage the cycle leaves is collected after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _detect(db: Database, config: Config, at: datetime, rollups: bool) -> DetectionSummary:
    notes = history_problems(db, config, at)
    series = {} if notes else build_series(db, config, at, rollups=rollups)
    spikes = spike_findings(db, config, series, at)
    trends = trend_findings(db, config, series, at, spikes) if config.settings.detection.trend else []
    summary = DetectionSummary(spikes + trends + item_findings(db, config, at), notes=notes)
    for finding in _changed(db, summary.findings):
        outcome = open_or_update(db, config, finding, at)
        summary.opened += outcome == "opened"
        summary.updated += outcome == "updated"
    # without a baseline nothing can be judged back to normal either
    summary.subsided = 0 if notes else _subside(db, config, series, at)
    summary.responses = official_responses(db, config, at)
    return summary


def history_problems(db: Database, config: Config, at: datetime) -> list[str]:
    """A series is judged against its own past: with no past to judge by — a new store, or
    a gap as long as the baseline (collection stopped for weeks, or the clock jumped) —
    spike and trend detection stand down and say why, instead of calling everything new a
    spike. Incident and unanswered-message rules still run."""
    det = config.settings.detection
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    with db.session() as s:
        first = s.scalar(select(func.min(Mention.published_at)).where(Mention.published_at.is_not(None)))
        before = s.scalar(select(Mention.id).where(
            in_range(at - det.baseline, at - det.window)).limit(1))
    if first is None:
        return ["库中还没有信息，暂不做突增和持续升温检测"]
    if at - first < MIN_HISTORY:
        return [f"数据只有 {max((at - first).total_seconds() / 86400, 0):.1f} 天，不足 {MIN_HISTORY.days} 天，"
                "暂不做突增和持续升温检测（突发、未答复留言照常检测）"]
    if before is None:
        return [f"{fmt_days(det.baseline)}基线期内没有任何信息（采集中断或时钟跳变？），"
                "暂不做突增和持续升温检测（突发、未答复留言照常检测）"]
    return []


def fmt_days(span) -> str:
    return f"近{span.total_seconds() / 86400:g}天"


def _changed(db: Database, findings: list[Finding]) -> list[Finding]:
    """Findings whose warning already holds all their evidence change nothing: skip them in
    a few queries, instead of one transaction each, every cycle. Single items by their key;
    spikes and slow burns when their series' latest warning is running (not subsided) at
    no lower a level — what `open_or_update` would then call unchanged."""
    items = {f.key: f for f in findings if f.kind not in EPISODIC}
    held: dict[str, set[int]] = {}
    keys = list(items)
    with db.session() as s:
        for i in range(0, len(keys), 500):
            rows = s.execute(select(Warning.key, WarningEvidence.mention_id)
                             .join(WarningEvidence, WarningEvidence.warning_id == Warning.id)
                             .where(Warning.key.in_(keys[i:i + 500]))).all()
            for key, mid in rows:
                held.setdefault(key, set()).add(mid)
        running = _running_unchanged(s, [f for f in findings if f.kind in EPISODIC])
    return [f for f in findings if (f.key not in running if f.kind in EPISODIC else
                                    f.key not in held or set(f.mention_ids) - held[f.key])]


def _running_unchanged(s, findings: list[Finding]) -> set[str]:
    """Keys of spike and trend findings that would leave their warning as it is: its latest
    episode (outbox._latest) is running, at least as severe, and holds all their evidence.
    Only running warnings are read (an episode opens only after the one before subsided, so
    the running one is the latest; the NOT EXISTS says so for certain), not every episode
    ever stored; their evidence in one query, from the lowest id the findings name."""
    if not findings:
        return set()
    series = {(f.kind, f.topic_id, f.place_id): f for f in findings}
    topics = sorted({t for _, t, _ in series if t is not None})
    later = aliased(Warning)
    newer = (select(later.id).where(later.kind == Warning.kind, later.topic_id.is_not_distinct_from(Warning.topic_id),
                                    later.place_id.is_not_distinct_from(Warning.place_id), later.id > Warning.id)
             .exists())
    rows = s.execute(select(Warning.id, Warning.kind, Warning.topic_id, Warning.place_id, Warning.severity)
                     .where(Warning.kind.in_(EPISODIC), Warning.subsided_at.is_(None),
                            or_(Warning.topic_id.in_(topics or [""]), Warning.topic_id.is_(None)), ~newer)).all()
    running: dict[int, Finding] = {}
    for wid, kind, topic, place, severity in rows:
        f = series.get((kind, topic, place))
        if f is not None and severity_rank(f.severity) <= severity_rank(severity):
            running[wid] = f
    if not running:
        return set()
    lowest = min((min(f.mention_ids) for f in running.values() if f.mention_ids), default=0)
    held: dict[int, set[int]] = defaultdict(set)
    for wid, mid in s.execute(select(WarningEvidence.warning_id, WarningEvidence.mention_id).where(
            WarningEvidence.warning_id.in_(sorted(running)), WarningEvidence.mention_id >= lowest)):
        held[wid].add(mid)
    return {f.key for wid, f in running.items() if held[wid].issuperset(f.mention_ids)}


def _subside(db: Database, config: Config, series: dict[tuple, list[Series]], at: datetime) -> int:
    """A spike whose series stopped firing, with no new evidence for `subside_after`, has
    subsided (回落); it stays open for its response, and a new spike opens a new warning."""
    count = 0
    with db.session() as s:
        running = s.scalars(select(Warning).where(
            Warning.kind.in_(("spike", "trend")), Warning.subsided_at.is_(None))).all()
        for warning in running:
            items = series.get((warning.topic_id or CATCHALL, warning.place_id), [])
            if warning.kind == "trend":
                day = daily(windows(config))
                firing = any(trend_of(config, i) for i in items if i.window == day)
            else:
                firing = strongest(config, items)[0] is not None
            if not firing and at - warning.updated_at >= config.settings.detection.subside_after:
                warning.subsided_at = at
                record(s, warning, "系统", "回落", "该序列已回到基线水平", at)
                count += 1
    return count

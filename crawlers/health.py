"""Source health for the duty officer (信息源异常): which sources need a person, in plain Chinese.

Read from `sources` and `source_runs` only, so the digest can call it at any time:
- a source that failed FAILING_AFTER or more runs in a row;
- a source whose last run brought back pages without text while earlier runs had text
  (the site changed its layout and extraction no longer finds the body);
- a source that has brought nothing new for far longer than it usually does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select

from config.models import Config
from storage.db import Database
from storage.models import Source, SourceRun
from yuqing.timeutil import as_aware, fmt, now

FAILING_AFTER = 2                 # failed runs in a row
EMPTY_SHARE = 0.5                 # of the last run's items without text
HISTORY = 60                      # runs looked at per source
QUIET_MIN_PRODUCTIVE = 4          # runs with new items needed before "usual" means anything
QUIET_FACTOR = 5                  # silent for this many usual gaps ...
QUIET_FLOOR = timedelta(days=2)   # ... and at least this long


@dataclass(frozen=True)
class SourceProblem:
    source_id: str
    name: str
    problem: str                  # one Chinese sentence for the digest


def source_problems(db: Database, config: Config, at: datetime | None = None) -> list[SourceProblem]:
    """Problems of the configured, enabled sources, in config order."""
    at = at or now()
    found: list[SourceProblem] = []
    with db.session() as s:
        for source in config.sources:
            if not source.enabled:
                continue
            row = s.get(Source, source.id)
            if row is None:
                continue
            runs = list(s.scalars(select(SourceRun).where(
                SourceRun.source_id == source.id, SourceRun.status != "running")
                .order_by(SourceRun.id.desc()).limit(HISTORY)))
            for problem in (_failing(row), _empty(runs), _quiet(runs, at)):
                if problem:
                    found.append(SourceProblem(source.id, source.name, problem))
                    break          # one sentence per source: the most urgent
    return found


def _failing(row: Source) -> str:
    if row.consecutive_failures < FAILING_AFTER:
        return ""
    since = f"，上次成功采集在 {fmt(row.last_success_at)}" if row.last_success_at else "，尚未成功采集过"
    return (f"连续 {row.consecutive_failures} 次采集失败{since}。"
            f"最近的错误：{row.last_error or '没有取得任何页面'}")


def _empty(runs: list[SourceRun]) -> str:
    if not runs:
        return ""
    last, earlier = runs[0], runs[1:]
    if last.items_seen == 0 or last.empty_bodies < EMPTY_SHARE * last.items_seen:
        return ""
    if not any(r.items_seen > r.empty_bodies for r in earlier):
        return ""
    return (f"最近一次采集的 {last.items_seen} 条中有 {last.empty_bodies} 条没有正文，而此前正常，"
            "网站版面可能已改变，请检查该信息源的提取规则（selectors）。")


def _quiet(runs: list[SourceRun], at: datetime) -> str:
    productive = sorted(as_aware(r.finished_at) for r in runs if r.items_new > 0 and r.finished_at)
    if len(productive) < QUIET_MIN_PRODUCTIVE:
        return ""
    usual = median(b - a for a, b in zip(productive, productive[1:]))
    silent = at - productive[-1]
    if silent < max(QUIET_FACTOR * usual, QUIET_FLOOR):
        return ""
    return (f"已有 {_span(silent)}没有新内容（通常每 {_span(usual)}就有新内容），"
            f"最后一次有新内容在 {fmt(productive[-1])}，请确认网站栏目是否迁移或停更。")


def _span(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.0f} 天"
    if hours >= 1:
        return f"{hours:.0f} 小时"
    return f"{max(value.total_seconds() / 60, 1):.0f} 分钟"

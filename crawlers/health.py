"""Source health for the duty officer (信息源异常): which sources need a person, in plain Chinese.

Read from `sources` and `source_runs` only, so the digest can call it at any time. This is
the one place that decides what counts as a broken source (the digest and `yuqing status`
show what it says):
- a configured source that was never crawled;
- a source whose service says a person must act (login expired, captcha, rate limit);
- a source that failed FAILING_AFTER or more runs in a row;
- a source without a successful run for several of its intervals (at least STALE_FLOOR);
- a source whose last run brought back pages without text while earlier runs had text
  (the site changed its layout and extraction no longer finds the body);
- a source that has brought nothing new for far longer than it usually does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Source, SourceRun
from yuqing.timeutil import as_aware, fmt, now

FAILING_AFTER = 2                 # failed runs in a row
EMPTY_SHARE = 0.5                 # of the last run's items without text
HISTORY = 60                      # runs looked at per source
QUIET_MIN_PRODUCTIVE = 4          # runs with new items needed before "usual" means anything
QUIET_FACTOR = 5                  # silent for this many usual gaps ...
QUIET_FLOOR = timedelta(days=2)   # ... and at least this long
STALE_INTERVALS = 3               # no successful run for this many intervals ...
STALE_FLOOR = timedelta(hours=6)  # ... and at least this long
# Errors that name a service's own state (crawlers/liuyan.py, crawlers/feed_problems.py):
# reported on the first failed run, in their own words, never as "unusually quiet".
NEEDS_PERSON = ("登录失效", "被限流", "路由不可用", "访问被拒绝", "订阅源为空")


@dataclass(frozen=True)
class SourceProblem:
    source_id: str
    name: str
    problem: str                  # one Chinese sentence for the digest


def source_problems(db: Database, config: Config, at: datetime | None = None) -> list[SourceProblem]:
    """Problems of the configured, enabled sources, in config order."""
    with db.session() as s:
        return source_problems_in(s, config, at)


def source_problems_in(s: Session, config: Config, at: datetime | None = None) -> list[SourceProblem]:
    at = at or now()
    found: list[SourceProblem] = []
    for source in config.sources:
        if not source.enabled:
            continue
        row = s.get(Source, source.id)
        if row is None or row.last_run_at is None:
            found.append(SourceProblem(source.id, source.name,
                                       "从未采集过：请确认调度程序在运行，或用 yuqing crawl 试采。"))
            continue
        runs = list(s.scalars(select(SourceRun).where(
            SourceRun.source_id == source.id, SourceRun.status != "running")
            .order_by(SourceRun.id.desc()).limit(HISTORY)))
        for problem in (_needs_person(row), _failing(row), _stale(row, source.interval, at),
                        _empty(runs), _quiet(runs, at)):
            if problem:
                found.append(SourceProblem(source.id, source.name, problem))
                break          # one sentence per source: the most urgent
    return found


def _needs_person(row: Source) -> str:
    """A login that expired or a captcha wall does not heal by waiting: say so at once."""
    if row.consecutive_failures < 1 or not row.last_error.startswith(NEEDS_PERSON):
        return ""
    return f"{row.last_error}（连续 {row.consecutive_failures} 次）"


def _stale(row: Source, interval: timedelta, at: datetime) -> str:
    limit = max(STALE_FLOOR, STALE_INTERVALS * interval)
    last = row.last_success_at
    if last is not None and at - last <= limit:
        return ""
    since = f"上次成功采集在 {fmt(last)}" if last else "尚未成功采集过"
    return f"已 {_span(at - (last or row.last_run_at))}没有成功采集（{since}）。"


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
    # A source that never had text (title-only feeds) is not news every shift.
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

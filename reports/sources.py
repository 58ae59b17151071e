"""Sources that stopped working (信息源异常), from the `sources` / `source_runs` health tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from config.models import Config
from reports.render import span
from storage.models import Source, SourceRun
from yuqing.timeutil import fmt

STALE_AFTER = timedelta(hours=6)      # at least this long without a successful run
STALE_INTERVALS = 3                   # … and at least this many of the source's intervals


@dataclass(frozen=True)
class SourceProblem:
    source_id: str
    name: str
    problem: str


def source_problems(s: Session, config: Config, at: datetime) -> list[SourceProblem]:
    problems = []
    for src in config.sources:
        if not src.enabled:
            continue

        def add(text: str) -> None:
            problems.append(SourceProblem(src.id, src.name, text))

        health = s.get(Source, src.id)
        if health is None or health.last_run_at is None:
            add("从未采集过")
            continue
        if health.consecutive_failures:
            add(f"连续 {health.consecutive_failures} 次采集失败：{health.last_error or '原因未记录'}"
                f"（上次成功：{fmt(health.last_success_at)}）")
            continue
        stale = max(STALE_AFTER, STALE_INTERVALS * src.interval)
        if health.last_success_at is None or at - health.last_success_at > stale:
            add(f"已 {span(at - (health.last_success_at or health.last_run_at))} 没有成功采集"
                f"（上次成功：{fmt(health.last_success_at)}）")
            continue
        last = s.scalars(select(SourceRun).where(SourceRun.source_id == src.id,
                                                 SourceRun.finished_at.is_not(None))
                         .order_by(SourceRun.id.desc()).limit(1)).first()
        if last is None:
            continue
        # A run that saw nothing is not flagged: an unchanged feed answers 304 and yields nothing.
        if last.items_seen and last.empty_bodies == last.items_seen:
            add(f"最近一次采集的 {last.items_seen} 条内容正文全部为空，页面结构可能已改变")
        elif last.status == "partial":
            add(f"最近一次采集有 {last.items_failed} 项失败：{(last.errors or ['原因未记录'])[0]}")
    return problems

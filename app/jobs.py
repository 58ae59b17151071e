"""Scheduled jobs: what runs on which clock, and the stage functions each run calls.

Every run executes in a child process (`python -m yuqing.app.jobs --target ...`, see
yuqing/jobrun.py for the parent side). Crawls must: Twisted's reactor cannot restart in one
process. The in-process stages do too, deliberately: a thread cannot be killed, so a hung
analysis in a thread would outlive its deadline, holding its transaction, and either block
its next run forever (max_instances=1) or run beside it. A child's whole process group is
killed at the deadline and the JobRun says 'timeout'. The price is an interpreter start and
model load per run (1–3 s), small against intervals of 30 s to 30 min.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.scheduling import LABELS, label  # noqa: F401  (re-exported for scheduler.py)
from yuqing.timeutil import SHANGHAI, local, now

RESULT_MARK = "YUQING-JOB-RESULT "

# Used until config/settings.py's ScheduleSettings has these fields.
DEFAULT_TIMEOUTS = {"crawl": 1800, "analysis": 1200, "detection": 600, "delivery": 300,
                    "escalation": 300, "digest": 600, "weekly": 1800}
DEFAULT_PRIORITY_INTERVAL = 300          # high-priority sources: at least every 5 minutes
DEFAULT_MAX_CRAWLS = 3                   # concurrent normal-priority crawls

@dataclass(frozen=True)
class JobSpec:
    id: str                      # "crawl:<source>", "analysis", "digest:0800", "weekly"
    target: str                  # "module:function" run in the child
    trigger: BaseTrigger
    timeout: float               # seconds; the child is killed after this
    grace: int | None            # misfire grace, seconds
    source_id: str | None = None
    priority: bool = False       # high-priority crawls skip the crawl queue

    @property
    def kind(self) -> str:
        return self.id.split(":", 1)[0]


def schedule_setting(config: Config, name: str, default):
    return getattr(config.settings.schedules, name, None) or default


def seconds(value) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def timeout_for(config: Config, kind: str) -> float:
    configured = schedule_setting(config, "job_timeouts", {})
    return seconds(configured.get(kind, DEFAULT_TIMEOUTS[kind]))


def weekly_trigger(text: str) -> CronTrigger:
    """'mon 08:30' -> every Monday 08:30 Asia/Shanghai."""
    day, clock = text.split()
    hour, minute = clock.split(":")
    return CronTrigger(day_of_week=day, hour=int(hour), minute=int(minute), timezone=SHANGHAI)


def desired_jobs(config: Config) -> list[JobSpec]:
    """Every job the config asks for; the scheduler syncs its persistent store to this list."""
    s = config.settings.schedules
    jobs = []
    # stages that long-running `yuqing worker` processes take over (docs/scale.md)
    by_workers = {w.strip() for w in os.environ.get("YUQING_SCHEDULE_WORKERS", "").split(",")}
    priority_every = seconds(schedule_setting(config, "priority_interval",
                                               DEFAULT_PRIORITY_INTERVAL))
    for source in config.sources:
        # 人民网领导留言板 is polled one request at a time by its own spider, never through the
        # workers' shared queue: the scheduler keeps its crawl job
        if not source.enabled or ("crawl" in by_workers and source.kind != "liuyan"):
            continue
        every = source.interval.total_seconds()
        high = source.priority == "high"
        if high:
            every = min(every, priority_every)
        jobs.append(JobSpec(f"crawl:{source.id}", "yuqing.app.jobs:crawl",
                            IntervalTrigger(seconds=every, timezone=SHANGHAI),
                            timeout_for(config, "crawl"), int(every), source.id, high))
    for kind in ("analysis", "detection", "delivery", "escalation"):
        if kind in by_workers:
            continue
        every = getattr(s, kind).total_seconds()
        jobs.append(JobSpec(kind, f"yuqing.app.jobs:{kind}",
                            IntervalTrigger(seconds=every, timezone=SHANGHAI),
                            timeout_for(config, kind), int(every)))
    for at in s.digest_times:
        # a digest two hours late is still worth reading; one after the next shift is not
        jobs.append(JobSpec(f"digest:{at:%H%M}", "yuqing.app.jobs:digest",
                            CronTrigger(hour=at.hour, minute=at.minute, timezone=SHANGHAI),
                            timeout_for(config, "digest"), 2 * 3600))
    if s.weekly_report:
        jobs.append(JobSpec("weekly", "yuqing.app.jobs:weekly", weekly_trigger(s.weekly_report),
                            timeout_for(config, "weekly"), 12 * 3600))
    return jobs



# --- stage functions: run in the child, return counts for the log and the JobRun ---------

def crawl(config: Config, db: Database, source_id: str) -> dict:
    from yuqing.crawlers.runner import crawl_here

    [summary] = crawl_here(config, db.url, [source_id])
    return {"source_status": summary.status, "new": summary.items_new,
            "updated": summary.items_updated, "failed": summary.items_failed}


def analysis(config: Config, db: Database, source_id=None) -> dict:
    from yuqing.analysis.stage import analyse_pending

    s = analyse_pending(db, config)
    return {"analysed": s.analysed, "negative": s.negative, "new_stories": s.new_stories}


def detection(config: Config, db: Database, source_id=None) -> dict:
    from yuqing.alerts.detect import detect
    from yuqing.alerts.external import record_board_replies

    s = detect(db, config)
    return {"opened": s.opened, "updated": s.updated, "subsided": s.subsided,
            "board_replies": record_board_replies(db, config)}


def delivery(config: Config, db: Database, source_id=None) -> dict:
    from yuqing.alerts.deliver import send_due

    s = send_due(db, config)
    return {"sent": s.sent, "failed": s.failed, "held": s.held, "gave_up": s.gave_up}


def escalation(config: Config, db: Database, source_id=None) -> dict:
    from yuqing.alerts.escalate import escalate_overdue
    from yuqing.alerts.response_pages import fetch_response_pages

    return {"escalated": escalate_overdue(db, config), "response_pages": fetch_response_pages(db, config)}


def digest(config: Config, db: Database, source_id=None) -> dict:
    from yuqing.reports.digest import build_digest
    from yuqing.paths import home

    from yuqing.reports.dispatch import queue_digest

    built = build_digest(db, config)
    out = home() / "digests" / f"digest-{local(now()):%Y%m%d-%H%M}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(built.markdown(), encoding="utf-8")
    out.with_suffix(".html").write_text(built.html(), encoding="utf-8")
    # the delivery job sends it to the duty office like any outbox row
    queued = queue_digest(db, config, built)
    return {"written": str(out), "warnings": len(built.new), "queued": queued}


def weekly(config: Config, db: Database, source_id=None) -> dict:
    """reports.weekly is written separately; until it exists the run is 'skipped', not failed."""
    try:
        module = importlib.import_module("yuqing.reports.weekly")
    except ModuleNotFoundError as exc:
        if exc.name not in ("yuqing.reports.weekly", "yuqing.reports"):
            raise
        return {"status": "skipped", "reason": "周报模块 reports.weekly 尚未提供"}
    run = getattr(module, "run_weekly", None)
    if run is not None:
        written = run(db, config)
        return {"written": str(written) if written else ""}
    build = getattr(module, "build_weekly", None)
    if build is None:
        return {"status": "skipped", "reason": "reports.weekly 中没有 build_weekly(db, config)"}
    from yuqing.paths import home

    written = build(db, config).write(home() / "reports")    # the last complete week
    return {"written": ",".join(str(p) for p in written)}


# --- the child process --------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    """If the scheduler is SIGKILLed, its jobs must not run on unsupervised beside the next."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent and os.getppid() != parent:      # the parent died before prctl took effect
        os._exit(1)


def child_main(argv: list[str] | None = None) -> int:
    from yuqing.config import load_config
    from yuqing.storage.db import open_database

    parser = argparse.ArgumentParser(prog="yuqing.app.jobs")
    parser.add_argument("--target", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default=os.environ.get("YUQING_CHILD_DATABASE_URL"),
                        help="database URL (default: $YUQING_CHILD_DATABASE_URL)")
    parser.add_argument("--source")
    parser.add_argument("--parent", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.database:
        parser.error("--database or $YUQING_CHILD_DATABASE_URL is required")
    _die_with_parent(args.parent)
    module, _, name = args.target.partition(":")
    func = getattr(importlib.import_module(module), name)
    config = load_config(args.config)
    db = open_database(args.database, migrate=False)
    try:
        result = func(config, db, args.source) or {}
    except Exception:
        traceback.print_exc()
        return 1
    finally:
        db.dispose()
    print(RESULT_MARK + json.dumps(result, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(child_main())

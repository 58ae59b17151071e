"""Run every stage on its own clock with APScheduler.

    python scheduler.py --once     one full cycle on the configured sources, then exit
    python scheduler.py            run the jobs until SIGTERM / SIGINT

Crawls run in child processes (see crawlers/runner.py), so the scheduler never touches
Twisted's reactor and a hung crawl can be killed without stopping the other jobs.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config import ConfigError, load_config
from config.models import Config
from storage.db import Database, open_database
from yuqing.timeutil import SHANGHAI

log = logging.getLogger("yuqing.scheduler")


def crawl_job(config: Config, db: Database, source_id: str) -> None:
    from crawlers.runner import crawl_in_subprocess

    for s in crawl_in_subprocess(config.directory, db.url, [source_id]):
        log.info("crawl source=%s status=%s new=%d failed=%d", s.source_id, s.status,
                 s.items_new, s.items_failed)


def analysis_job(config: Config, db: Database) -> None:
    from analysis.stage import analyse_pending

    s = analyse_pending(db, config)
    log.info("analysis analysed=%d negative=%d", s.analysed, s.negative)


def detection_job(config: Config, db: Database) -> None:
    from alerts.detect import detect

    s = detect(db, config)
    log.info("detection opened=%d updated=%d subsided=%d", s.opened, s.updated, s.subsided)


def delivery_job(config: Config, db: Database) -> None:
    from alerts.deliver import send_due

    s = send_due(db, config)
    log.info("delivery sent=%d failed=%d held=%d", s.sent, s.failed, s.held)


def escalation_job(config: Config, db: Database) -> None:
    from alerts.escalate import escalate_overdue

    log.info("escalation escalated=%d", escalate_overdue(db, config))


def digest_job(config: Config, db: Database) -> None:
    from reports.digest import build_digest
    from yuqing.paths import home

    digest = build_digest(db, config)
    out = home() / "digests" / f"digest-{datetime.now(SHANGHAI):%Y%m%d-%H%M}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(digest.markdown(), encoding="utf-8")
    log.info("digest written=%s warnings=%d", out, len(digest.new))


def build_scheduler(config: Config, db: Database) -> BlockingScheduler:
    sched = BlockingScheduler(timezone=SHANGHAI, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    now = datetime.now(SHANGHAI)
    for source in config.sources:
        if source.enabled:
            sched.add_job(crawl_job, IntervalTrigger(seconds=source.interval.total_seconds()),
                          args=(config, db, source.id), id=f"crawl:{source.id}",
                          next_run_time=now)
    s = config.settings.schedules
    for job, every in ((analysis_job, s.analysis), (detection_job, s.detection),
                       (delivery_job, s.delivery), (escalation_job, s.escalation)):
        sched.add_job(job, IntervalTrigger(seconds=every.total_seconds()), args=(config, db),
                      id=job.__name__.removesuffix("_job"), next_run_time=now)
    for at in s.digest_times:
        sched.add_job(digest_job, CronTrigger(hour=at.hour, minute=at.minute), args=(config, db),
                      id=f"digest:{at:%H%M}")
    return sched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="yuqing scheduler")
    parser.add_argument("--config", help="配置目录（默认 $YUQING_CONFIG 或内置配置）")
    parser.add_argument("--once", action="store_true", help="运行一个完整周期后退出")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    db = open_database(config.settings.database.url)
    if args.once:
        from yuqing.cycle import run_cycle

        report = run_cycle(config, db)
        for error in report.errors:
            log.error(error)
        return 1 if report.errors else 0
    sched = build_scheduler(config, db)

    def stop(signum, _frame):
        log.info("signal %s: stopping after running jobs finish", signum)
        sched.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sched.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every stage on its own clock with APScheduler, 7×24.

    python scheduler.py --once     one full cycle on the configured sources, then exit
    python scheduler.py            run the jobs until SIGTERM / SIGINT

Jobs live in a persistent store in the project's database (SQLAlchemyJobStore), so a digest
due while the scheduler was down still runs within its grace after a restart, and a digest
or weekly run the scheduler's death interrupted runs again for its slot (rerun_interrupted).
One scheduler per database: only the holder of the lease row (storage/scheduling.py) starts APScheduler;
others wait on standby and take over when the holder's heartbeat stops. Every run executes
in a child process with a deadline (yuqing/jobs.py explains why), so a job that raises or
hangs is recorded and the others keep their clocks.

Exit codes: 0 stopped by a signal, 2 bad config, 3 lease lost (systemd restarts us as standby).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from datetime import datetime, timedelta

from apscheduler.executors.base import MaxInstancesReachedError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import update

from yuqing.config import ConfigError, load_config
from yuqing.config.models import Config
from yuqing.storage.db import Database, open_database, retry_locked
from yuqing.storage.models import JobRun
from yuqing.storage.scheduling import (MAX_ATTEMPTS, Lease, current_lease,
                                       interrupted_slots, real_now)
from yuqing.app import jobrun
from yuqing.app.jobs import (DEFAULT_MAX_CRAWLS, JobSpec, desired_jobs, label, schedule_setting,
                         seconds)
from yuqing.paths import private_files
from yuqing.signing import SecretError, secret_key
from yuqing.timeutil import SHANGHAI

log = logging.getLogger("yuqing.scheduler")
DEFAULT_LEASE_TTL = 60.0
DEFAULT_STOP_GRACE = 60.0


class _Scheduler(BackgroundScheduler):
    def _process_jobs(self):
        # APScheduler 3 makes one more pass after shutdown() has closed the executor: the
        # due jobs would be advanced in the store without running (a digest lost on stop).
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def build_scheduler(db: Database, workers: int) -> BackgroundScheduler:
    return _Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine)},
        executors={"default": jobrun.SlotExecutor(max_workers=workers)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone=SHANGHAI)


def sync_jobs(sched: BackgroundScheduler, specs: list[JobSpec], config_dir: str, db_url: str,
              at: datetime | None = None) -> None:
    """Make the stored jobs match the config, keeping the next run time of unchanged ones."""
    stored = {job.id: job for job in sched.get_jobs()}
    at = at or datetime.now(SHANGHAI)
    for spec in specs:
        kwargs = {"job_id": spec.id, "target": spec.target, "config_dir": config_dir,
                  "db_url": db_url, "source_id": spec.source_id, "timeout": spec.timeout,
                  "priority": spec.priority}
        old = stored.pop(spec.id, None)
        if (old is not None and str(old.trigger) == str(spec.trigger) and old.kwargs == kwargs
                and old.misfire_grace_time == spec.grace):
            continue
        extra = {"next_run_time": at} if isinstance(spec.trigger, IntervalTrigger) else {}
        sched.add_job(jobrun.run_job, trigger=spec.trigger, kwargs=kwargs, id=spec.id,
                      name=label(spec.id), replace_existing=True, coalesce=True,
                      max_instances=1, misfire_grace_time=spec.grace, **extra)
        log.info("job scheduled", extra={"kv": {"job": spec.id, "trigger": str(spec.trigger)}})
    for job_id in stored:
        sched.remove_job(job_id)
        log.info("job removed", extra={"kv": {"job": job_id}})


@retry_locked
def recover_interrupted(db: Database) -> int:
    """Runs left 'running' by a scheduler that died: we hold the lease, so none is live."""
    with db.session() as s:
        result = s.execute(update(JobRun).where(JobRun.status == "running")
                           .values(status="interrupted", finished_at=real_now(),
                                   detail="调度程序异常退出，该次运行被中断"))
        return result.rowcount


RERUN_LOOKBACK = timedelta(days=8)       # longer than any slot job's misfire grace


def rerun_interrupted(sched: BackgroundScheduler, db: Database,
                      at: datetime | None = None) -> list[tuple[str, datetime]]:
    """Run again, now, each digest or weekly slot whose run was interrupted (the scheduler was
    SIGKILLed, lost its lease or was stopped mid-run), if still within the job's misfire grace.

    The job is handed to its executor for that slot, exactly as APScheduler would, so the run
    goes through the same slot fence (jobrun._start admits the next attempt), the same
    max_instances and the same misfire check. Without this the slot was lost: APScheduler had
    already moved the job to its next fire time (tomorrow's digest, next week's report)."""
    at = at or real_now()
    rerun = []
    for lost in interrupted_slots(db, since=at - RERUN_LOOKBACK):
        kv = {"job": lost.job, "slot": lost.slot.isoformat(), "attempt": lost.attempt}
        job = sched.get_job(lost.job)
        if job is None:
            continue                              # no longer in the config
        grace = job.misfire_grace_time
        if grace is not None and at - lost.slot > timedelta(seconds=grace):
            log.warning("interrupted slot not rerun: past its grace", extra={"kv": kv})
            continue
        if lost.attempt >= MAX_ATTEMPTS:
            log.error("interrupted slot not rerun: interrupted too often", extra={"kv": kv})
            continue
        try:
            sched._lookup_executor(job.executor).submit_job(job, [lost.slot])
        except MaxInstancesReachedError:
            log.info("interrupted slot already running again", extra={"kv": kv})
            continue
        log.info("rerunning interrupted slot", extra={"kv": kv})
        rerun.append((lost.job, lost.slot))
    return rerun


class SchedulerService:
    """Standby until the lease is ours, then run the jobs and heartbeat until told to stop."""

    def __init__(self, config: Config, db: Database, specs: list[JobSpec] | None = None,
                 lease_ttl: float = DEFAULT_LEASE_TTL, stop_grace: float = DEFAULT_STOP_GRACE):
        self.config, self.db = config, db
        self.specs = desired_jobs(config) if specs is None else specs
        self.lease = Lease(db, lease_ttl)
        self.ttl, self.stop_grace = lease_ttl, stop_grace
        self.stop = threading.Event()
        self.scheduler: BackgroundScheduler | None = None

    def _wait_for_lease(self) -> bool:
        announced = False
        while not self.stop.is_set():
            if self.lease.acquire():
                return True
            if not announced:
                held = current_lease(self.db)
                log.info("standby: lease held by another scheduler",
                         extra={"kv": {"holder": held.holder if held else "?"}})
                announced = True
            self.stop.wait(max(0.2, self.ttl / 4))
        return False

    def run(self) -> int:
        if not self._wait_for_lease():
            return 0
        rt = jobrun.RUNTIME
        rt.lease, rt.stopping = self.lease, threading.Event()
        max_crawls = int(schedule_setting(self.config, "max_concurrent_crawls", DEFAULT_MAX_CRAWLS))
        rt.crawl_slots = threading.Semaphore(max_crawls)
        log.info("lease acquired: running jobs", extra={"kv": {
            "holder": self.lease.holder, "jobs": len(self.specs),
            "interrupted": recover_interrupted(self.db)}})
        self.scheduler = build_scheduler(self.db, workers=len(self.specs) + 2)
        self.scheduler.start(paused=True)
        sync_jobs(self.scheduler, self.specs, self.config.directory, self.db.url)
        rerun_interrupted(self.scheduler, self.db)
        self.scheduler.resume()
        code = self._heartbeat()
        self._shutdown(graceful=code == 0)
        if code == 0:
            self.lease.release()
        log.info("scheduler stopped", extra={"kv": {"exit": code}})
        return code

    def _heartbeat(self) -> int:
        last_ok = time.monotonic()
        while not self.stop.wait(self.ttl / 3):
            try:
                if self.lease.renew():
                    last_ok = time.monotonic()
                    continue
                log.error("lease lost: another scheduler took over; stopping")
                return 3
            except Exception as exc:     # database briefly unreachable: keep trying till expiry
                log.warning("heartbeat failed", extra={"kv": {"error": str(exc)[:300]}})
            if time.monotonic() - last_ok > self.ttl * 0.8:
                log.error("lease expiring: database unreachable; stopping")
                return 3
        return 0

    def _shutdown(self, graceful: bool) -> None:
        rt = jobrun.RUNTIME
        rt.stopping.set()
        self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + (self.stop_grace if graceful else 0)
        while rt.children and time.monotonic() < deadline:
            time.sleep(0.1)
        if rt.children:
            log.warning("killing running jobs", extra={"kv": {"count": len(rt.children)}})
            rt.kill_children()
        executor = self.scheduler._lookup_executor("default")
        executor._pool.shutdown(wait=True)        # let the job threads record their outcome


def _open(url: str | None) -> Database:
    # two schedulers starting together may race to migrate; the loser retries on the new schema
    for attempt in range(5):
        try:
            return open_database(url)
        except Exception:
            if attempt == 4:
                raise
            time.sleep(1 + attempt)
    raise AssertionError("unreachable")


def main(argv: list[str] | None = None) -> int:
    from yuqing.logs import setup_logging

    parser = argparse.ArgumentParser(description="yuqing scheduler / 舆情监测调度程序")
    parser.add_argument("--config", help="配置目录（默认 $YUQING_CONFIG 或内置配置）")
    parser.add_argument("--once", action="store_true", help="运行一个完整周期后退出")
    parser.add_argument("--lease-ttl", type=float, help="租约有效期（秒，默认 60）")
    parser.add_argument("--stop-grace", type=float, default=DEFAULT_STOP_GRACE,
                        help="收到停止信号后等待运行中任务的秒数（默认 60）")
    args = parser.parse_args(argv)
    private_files()
    setup_logging("scheduler")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    try:
        secret_key()          # refuse to start with an example or short secret
    except SecretError as exc:
        print(exc, file=sys.stderr)
        return 2
    db = _open(config.settings.database.url)
    if args.once:
        from yuqing.app.cycle import failed_sources, run_cycle, summary

        report = run_cycle(config, db)
        print(summary(report))
        # non-zero for cron and systemd timers: somebody has to look
        return 1 if report.errors or failed_sources(report) else 0
    ttl = args.lease_ttl or seconds(schedule_setting(config, "lease_ttl", DEFAULT_LEASE_TTL))
    service = SchedulerService(config, db, lease_ttl=ttl, stop_grace=args.stop_grace)

    def stop(signum, _frame):
        if service.stop.is_set():          # second signal: do not wait for running jobs
            jobrun.RUNTIME.kill_children()
            return
        log.info("stopping: waiting for running jobs", extra={"kv": {"signal": signum}})
        service.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = service.run()
    db.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())

"""One job run, on the scheduler's side: fence, record, run the child, time it out, record.

`run_job` is what the persistent job store holds: a module-level function whose arguments
are plain strings and numbers, so APScheduler can pickle it into the database.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import JobRun
from yuqing.storage.scheduling import MAX_ATTEMPTS, SLOT_KINDS, JobRunInfo, Lease, real_now
from yuqing.app.jobs import DEFAULT_MAX_CRAWLS, RESULT_MARK

log = logging.getLogger("yuqing.app.jobs")

CHILD_DATABASE = "YUQING_CHILD_DATABASE_URL"
# job id -> the slot APScheduler is about to run it for (see SlotExecutor)
_SLOTS: dict[str, datetime] = {}


class SlotExecutor(ThreadPoolExecutor):
    """Remembers each submission's scheduled time, for the lag and the (job, slot) fence."""

    def _do_submit_job(self, job, run_times):
        _SLOTS[job.id] = run_times[-1]      # coalesced: the one run stands for all missed
        super()._do_submit_job(job, run_times)


@dataclass
class Runtime:
    """The scheduler process's state shared with its job threads."""

    lease: Lease | None = None
    max_crawls: int = DEFAULT_MAX_CRAWLS
    stopping: threading.Event = field(default_factory=threading.Event)
    children: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    databases: dict = field(default_factory=dict)
    crawl_slots: threading.Semaphore | None = None

    def database(self, url: str) -> Database:
        with self.lock:
            if url not in self.databases:
                self.databases[url] = Database(url)
            return self.databases[url]

    def kill_children(self) -> None:
        with self.lock:
            children = list(self.children)
        for child in children:
            kill_group(child)


RUNTIME = Runtime()


def kill_group(child: subprocess.Popen, grace: float = 3.0) -> None:
    """SIGTERM the child's process group, SIGKILL what is left after `grace` seconds."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, None)):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        if wait is None:
            return
        try:
            child.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@retry_locked
def _start(db: Database, job_id: str, slot: datetime, started: datetime,
           holder: str) -> tuple[int, int] | None:
    """The (job, slot) fence: record the run and return (run id, attempt), or None when this
    slot already ran or is running. A digest or weekly slot (SLOT_KINDS) whose last attempt
    was interrupted (its scheduler died or was stopped mid-run) is admitted again as the next
    attempt, up to MAX_ATTEMPTS; the unique (job, slot, attempt) lets one contender in.
    Interval jobs are not: their next interval does the work."""
    with db.session() as s:
        last = s.execute(select(JobRunInfo.attempt, JobRun.status)
                         .join(JobRun, JobRun.id == JobRunInfo.job_run_id)
                         .where(JobRunInfo.job == job_id, JobRunInfo.scheduled_at == slot)
                         .order_by(JobRunInfo.attempt.desc()).limit(1)).first()
    if last is None:
        attempt = 1
    elif (last.status == "interrupted" and last.attempt < MAX_ATTEMPTS
          and job_id.split(":", 1)[0] in SLOT_KINDS):
        attempt = last.attempt + 1
    else:
        return None
    try:
        with db.session() as s:
            run = JobRun(job=job_id, started_at=started, status="running")
            s.add(run)
            s.flush()
            s.add(JobRunInfo(job_run_id=run.id, job=job_id, scheduled_at=slot, attempt=attempt,
                             holder=holder,
                             lag_seconds=max(0.0, (started - slot).total_seconds())))
            s.flush()
            return run.id, attempt
    except IntegrityError:
        return None           # another scheduler recorded this attempt first


@retry_locked
def _finish(db: Database, run_id: int, status: str, detail: str) -> None:
    with db.session() as s:
        s.execute(update(JobRun).where(JobRun.id == run_id)
                  .values(status=status, detail=detail[:4000], finished_at=real_now()))


def _execute(rt: Runtime, target: str, config_dir: str, db_url: str, source_id: str | None,
             timeout: float) -> tuple[str, str, dict]:
    cmd = [sys.executable, "-m", "yuqing.app.jobs", "--target", target, "--config", config_dir,
           "--parent", str(os.getpid())]
    if source_id:
        cmd += ["--source", source_id]
    # own session: a timeout kills the whole group (Scrapy, and anything it started)
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True,
                             env={**os.environ, CHILD_DATABASE: db_url})   # not on the command line
    with rt.lock:
        rt.children.add(child)
    if rt.stopping.is_set():        # stop arrived while this run was starting
        kill_group(child, grace=0)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(child)
        child.communicate()
        return "timeout", f"超过 {timeout:g} 秒仍未结束，已终止", {}
    finally:
        with rt.lock:
            rt.children.discard(child)
    if rt.stopping.is_set() and child.returncode < 0:
        return "interrupted", "调度程序停止，运行中的任务被终止", {}
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_MARK) and child.returncode == 0:
            result = json.loads(line[len(RESULT_MARK):])
            status = result.pop("status", "ok")
            detail = " ".join(f"{k}={v}" for k, v in result.items())
            return status, detail, result
    lines = [line for line in err.strip().splitlines() if line.strip()]
    cause = lines[-1] if lines else f"返回码 {child.returncode}"
    return "failed", f"{cause}\n{err.strip()[-2000:]}" if len(lines) > 1 else cause, {}


def run_job(job_id: str, target: str, config_dir: str, db_url: str, source_id: str | None = None,
            timeout: float = 600.0, priority: bool = False) -> str:
    """Run one scheduled job; never raises, so one job's trouble cannot stop the others."""
    rt = RUNTIME
    db = rt.database(db_url)
    slot = _SLOTS.pop(job_id, None) or real_now()
    holder = rt.lease.holder if rt.lease else f"pid:{os.getpid()}"
    kv = {"job": job_id}
    try:
        if rt.stopping.is_set():
            return "skipped"
        if rt.lease is not None and not rt.lease.held():
            log.warning("job skipped: lease not held", extra={"kv": {**kv, "status": "skipped"}})
            return "skipped"
        queue = rt.crawl_slots if job_id.startswith("crawl:") and not priority else None
        if queue is not None:
            queue.acquire()
        try:
            started = real_now()
            admitted = _start(db, job_id, slot, started, holder)
            if admitted is None:
                log.warning("job skipped: slot already run",
                            extra={"kv": {**kv, "status": "skipped", "slot": slot.isoformat()}})
                return "skipped"
            run_id, attempt = admitted
            if attempt > 1:
                kv["attempt"] = attempt
                log.info("job rerun: slot interrupted before",
                         extra={"kv": {**kv, "slot": slot.isoformat()}})
            clock = time.monotonic()
            status, detail, result = _execute(rt, target, config_dir, db_url, source_id, timeout)
            _finish(db, run_id, status, detail)
        finally:
            if queue is not None:
                queue.release()
        kv.update(status=status, duration=time.monotonic() - clock,
                  lag=(started - slot).total_seconds(), run=run_id, **result)
        if status not in ("ok", "skipped"):
            kv["error"] = detail.splitlines()[0] if detail else ""
        level = logging.INFO if status in ("ok", "skipped") else logging.ERROR
        log.log(level, "job run", extra={"kv": kv})
        return status
    except Exception:            # recording failed (database down?): log, keep scheduling
        log.exception("job run could not be recorded", extra={"kv": {**kv, "status": "error"}})
        return "error"

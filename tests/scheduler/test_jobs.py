"""Jobs in one scheduler process: a job that raises or hangs does not stop the others, a hung
job is killed at its deadline and reported; two crawls in a row in one process (Scrapy's
reactor cannot restart, so crawls must run in child processes)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from yuqing.config import load_config
from scheduler import SchedulerService, build_scheduler, sync_jobs
from yuqing.storage.db import Database
from yuqing.storage.models import JobRun, SourceRun
from yuqing.storage.scheduling import JobRunInfo, current_lease, real_now
from yuqing.reports.health import collect, problems
from yuqing.app.jobs import JobSpec, desired_jobs
from yuqing.timeutil import SHANGHAI

from .conftest import wait_for, write_config


def spec(job_id: str, target: str, every: float, timeout: float = 30) -> JobSpec:
    return JobSpec(job_id, target, IntervalTrigger(seconds=every, timezone=SHANGHAI), timeout,
                   grace=60)


def runs(db: Database, prefix: str) -> list[JobRun]:
    with db.session() as s:
        return list(s.scalars(select(JobRun).where(JobRun.job.like(f"{prefix}%"))
                              .order_by(JobRun.id)))


@pytest.fixture
def sqlite_db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'sched.db'}")
    database.migrate()
    yield database
    database.dispose()


def serve(service: SchedulerService) -> threading.Thread:
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    return thread


def test_raising_and_hanging_jobs_do_not_stop_the_others(sqlite_db, tmp_path):
    config = load_config(write_config(tmp_path / "cfg", only=[]))
    specs = [spec("ok", "tests.scheduler.fakejobs:ok", 1),
             spec("boom", "tests.scheduler.fakejobs:boom", 1),
             # 8 s, not less: each run is a fresh process, and on a loaded 2-core machine (load
             # average 12) no 1-second job managed to start inside a 4-second hang
             spec("hang", "tests.scheduler.fakejobs:hang", 60, timeout=8)]
    service = SchedulerService(config, sqlite_db, specs=specs, lease_ttl=3, stop_grace=5)
    thread = serve(service)
    try:
        wait_for(lambda: [r for r in runs(sqlite_db, "hang") if r.status != "running"], 30,
                 what="the hung job to be timed out")
        wait_for(lambda: len([r for r in runs(sqlite_db, "boom") if r.status == "failed"]) >= 3,
                 30, what="three failed runs of the raising job")
    finally:
        service.stop.set()
        thread.join(30)
    assert not thread.is_alive()

    [hang] = runs(sqlite_db, "hang")
    assert hang.status == "timeout"
    assert "超过 8 秒仍未结束，已终止" in hang.detail
    assert 8 <= (hang.finished_at - hang.started_at).total_seconds() < 20
    pid = int((Path(os.environ["YUQING_HOME"]) / "hang.pid").read_text())
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]

    ok = runs(sqlite_db, "ok")
    during = [r for r in ok if hang.started_at < r.started_at < hang.finished_at]
    assert during and all(r.status == "ok" for r in during), "the others kept running during the hang"
    boom = [r for r in runs(sqlite_db, "boom") if r.status != "interrupted"]
    assert all(r.status == "failed" and r.detail.startswith("RuntimeError: 故意失败") for r in boom)

    status = collect(sqlite_db, config)
    found = problems(status)
    assert any("任务“boom”已连续" in p and "次失败" in p and "故意失败" in p for p in found)
    assert not any("“ok”" in p for p in found)
    by_id = {j.id: j for j in status.jobs}
    assert by_id["hang"].status == "timeout" and by_id["ok"].lag is not None
    # a clean stop releases the lease: health says the scheduler is not running
    assert not status.scheduler_running
    assert any(p.startswith("调度程序未在运行") for p in found)


def test_two_crawls_in_a_row_in_one_scheduler_process(sqlite_db, tmp_path, sample_sites,
                                                      monkeypatch):
    for key, value in sample_sites.env().items():
        monkeypatch.setenv(key, value)
    config = load_config(write_config(tmp_path / "cfg", "2s", only=["sample-weibo"]))
    specs = [s for s in desired_jobs(config) if s.kind == "crawl"]
    service = SchedulerService(config, sqlite_db, specs=specs, lease_ttl=5, stop_grace=20)
    thread = serve(service)
    try:
        wait_for(lambda: len([r for r in runs(sqlite_db, "crawl:") if r.status != "running"]) >= 2,
                 60, what="two finished crawl runs")
    finally:
        service.stop.set()
        thread.join(60)
    crawls = [r for r in runs(sqlite_db, "crawl:") if r.status != "interrupted"]
    assert [r.status for r in crawls[:2]] == ["ok", "ok"], [r.detail for r in crawls]
    assert not any("ReactorNotRestartable" in r.detail for r in crawls)
    with sqlite_db.session() as s:
        assert s.query(SourceRun).filter_by(source_id="sample-weibo").count() >= 2
        holders = set(s.scalars(select(JobRunInfo.holder)))
    assert holders == {service.lease.holder}, "both crawls ran in this one scheduler process"


def test_sync_keeps_unchanged_jobs_and_follows_config(sqlite_db, tmp_path):
    config = load_config(write_config(tmp_path / "cfg", "30m"))
    specs = desired_jobs(config)
    ids = {s.id for s in specs}
    assert {"crawl:sample-portal", "crawl:sample-weibo", "analysis", "detection", "delivery",
            "escalation"} <= ids
    assert not any(i.startswith("digest:") for i in ids) and "weekly" not in ids

    sched = build_scheduler(sqlite_db, workers=2)
    sched.start(paused=True)
    sync_jobs(sched, specs, config.directory, sqlite_db.url)
    first = {j.id: j.next_run_time for j in sched.get_jobs()}
    sched.shutdown(wait=False)

    # a restart with the same config keeps the stored next run times (persistent store)
    time.sleep(0.05)
    sched = build_scheduler(sqlite_db, workers=2)
    sched.start(paused=True)
    sync_jobs(sched, specs, config.directory, sqlite_db.url)
    assert {j.id: j.next_run_time for j in sched.get_jobs()} == first
    # a source removed from the config loses its job; a changed interval is rescheduled
    fewer = load_config(write_config(tmp_path / "cfg2", "10m",
                                     only=["sample-portal", "sample-news"]))
    sync_jobs(sched, desired_jobs(fewer), fewer.directory, sqlite_db.url)
    jobs = {j.id: j for j in sched.get_jobs()}
    assert "crawl:sample-weibo" not in jobs
    assert str(jobs["crawl:sample-portal"].trigger) == "interval[0:10:00]"
    sched.shutdown(wait=False)


def test_priority_sources_crawl_every_few_minutes(tmp_path):
    config = load_config(write_config(tmp_path / "cfg"))     # demo intervals: weibo 10m, high
    by_id = {s.id: s for s in desired_jobs(config)}
    assert by_id["crawl:sample-weibo"].priority
    assert str(by_id["crawl:sample-weibo"].trigger) == "interval[0:05:00]"
    assert str(by_id["crawl:sample-portal"].trigger) == "interval[0:30:00]"

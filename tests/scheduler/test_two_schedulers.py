"""Two schedulers on one database: only the lease holder runs jobs, each slot runs once, and
the standby takes over when the holder is SIGKILLed. SQLite always; PostgreSQL when
YUQING_TEST_POSTGRES is set (the db_url fixture's second parameter)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from yuqing.storage.db import Database
from yuqing.storage.models import JobRun
from yuqing.storage.scheduling import JobRunInfo, current_lease

from .conftest import job_children, wait_for, write_config


def runs(db: Database) -> list[tuple[JobRun, JobRunInfo]]:
    with db.session() as s:
        return list(s.execute(select(JobRun, JobRunInfo).join(
            JobRunInfo, JobRunInfo.job_run_id == JobRun.id).order_by(JobRun.id)).all())


def test_second_scheduler_stands_by_and_takes_over(db, tmp_path, scheduler_processes):
    db_url = db.url
    config = write_config(tmp_path / "cfg", only=[], delivery="2s", escalation="2s")
    home = tmp_path / "home"
    first = scheduler_processes(config, db_url, home, ttl=2)
    wait_for(lambda: (lease := current_lease(db)) and lease.pid == first.pid, 60,
             what="the first scheduler to take the lease")
    second = scheduler_processes(config, db_url, home, ttl=2)
    wait_for(lambda: "standby" in second.output(), 30, what="the second scheduler on standby")
    wait_for(lambda: sum(r.job == "delivery" and r.status == "ok" for r, _ in runs(db)) >= 3, 60,
             what="three delivery runs")
    before = runs(db)
    assert {info.holder.split(":")[1] for _, info in before} == {str(first.pid)}, \
        "only the lease holder runs jobs"

    first.kill()                                     # SIGKILL: no release, no goodbye
    wait_for(lambda: current_lease(db).pid == second.pid, 30, what="the standby to take over")
    wait_for(lambda: sum(info.holder.split(":")[1] == str(second.pid) and r.job == "delivery"
                         and r.status == "ok" for r, info in runs(db)) >= 2, 60,
             what="the new holder to run deliveries")
    assert second.terminate() == 0
    assert not job_children(second.pid) and not job_children(first.pid)

    after = runs(db)
    slots = Counter((info.job, info.scheduled_at) for _, info in after)
    assert max(slots.values()) == 1, "each job slot ran once"
    for job in ("delivery", "escalation"):
        spans = sorted((r.started_at, r.finished_at or r.started_at, info.holder)
                       for r, info in after if r.job == job)
        for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
            assert start >= end, f"two runs of {job} overlapped"
    assert all(r.status != "running" for r, _ in after), "a killed holder's runs are closed"
    assert all(info.holder.split(":")[1] in (str(first.pid), str(second.pid)) for _, info in after)
    lease = current_lease(db)
    assert lease.pid == second.pid and not lease.alive(), "a clean stop releases the lease"
    assert "lease acquired" in second.output()

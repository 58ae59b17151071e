"""The slot fence and the rerun of interrupted slots (issue 15, item 10), in one process.

test_digest_kill.py SIGKILLs a real scheduler mid-digest; here the state such a kill leaves
(a run still 'running' for its slot) is made with the scheduler's own fence, to check the
rules for every slot job: which attempts the fence admits, that the weekly report is rerun
like the digest, that a slot past its grace is not, and that status then asks for a person.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import update

from yuqing.config import load_config
from scheduler import SchedulerService, recover_interrupted
from yuqing.app.jobrun import _finish, _start
from yuqing.app.jobs import JobSpec, weekly_trigger
from yuqing.reports.health import collect, problems
from yuqing.storage.db import Database
from yuqing.storage.models import JobRun
from yuqing.storage.scheduling import MAX_ATTEMPTS, interrupted_slots, real_now
from yuqing.timeutil import SHANGHAI

from .conftest import wait_for, write_config
from .test_digest_kill import digest_runs


def test_fence_admits_an_interrupted_slot_again_and_nothing_else(db):
    slot = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)
    at = real_now()
    run, attempt = _start(db, "digest:0800", slot, at, "h")
    assert attempt == 1
    assert _start(db, "digest:0800", slot, at, "h") is None, "running: refused"
    for status in ("ok", "failed", "timeout", "skipped"):
        _finish(db, run, status, "")
        assert _start(db, "digest:0800", slot, at, "h") is None, f"{status}: refused"
    attempts = [1]
    while True:
        _finish(db, run, "interrupted", "调度程序异常退出，该次运行被中断")
        admitted = _start(db, "digest:0800", slot, at, "h")
        if admitted is None:
            break
        run, attempt = admitted
        attempts.append(attempt)
    assert attempts == list(range(1, MAX_ATTEMPTS + 1)), "a slot that keeps dying stops"
    # another slot, or another job at this slot, is its own
    assert _start(db, "digest:0800", slot + timedelta(days=1), at, "h")[1] == 1
    assert _start(db, "digest:1800", slot, at, "h")[1] == 1
    run, _ = _start(db, "weekly", slot, at, "h")
    _finish(db, run, "interrupted", "")
    assert _start(db, "weekly", slot, at, "h")[1] == 2
    # an interval job's interrupted slot stays closed: its next interval does the work
    run, _ = _start(db, "delivery", slot, at, "h")
    _finish(db, run, "interrupted", "")
    assert _start(db, "delivery", slot, at, "h") is None


DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _killed_run(db: Database, job: str, slot: datetime) -> None:
    """What a SIGKILLed scheduler leaves: the slot's run recorded and never finished."""
    _start(db, job, slot, slot + timedelta(seconds=1), "dead-host:1:x")


def test_weekly_and_digest_slots_are_rerun_within_grace_only(db, tmp_path):
    config = load_config(write_config(tmp_path / "cfg", only=[]))
    now = real_now().astimezone(SHANGHAI)
    recent = (now - timedelta(hours=1)).replace(second=0, microsecond=0)
    stale = (now - timedelta(hours=3)).replace(second=0, microsecond=0)
    specs = [
        # the real triggers and graces of a weekly report and a digest; a quick stand-in target
        JobSpec("weekly", "tests.scheduler.fakejobs:ok", weekly_trigger(f"{DAYS[recent.weekday()]} {recent:%H:%M}"),
                60, 12 * 3600),
        JobSpec(f"digest:{recent:%H%M}", "tests.scheduler.fakejobs:ok",
                CronTrigger(hour=recent.hour, minute=recent.minute, timezone=SHANGHAI), 60, 2 * 3600),
        JobSpec(f"digest:{stale:%H%M}", "tests.scheduler.fakejobs:ok",
                CronTrigger(hour=stale.hour, minute=stale.minute, timezone=SHANGHAI), 60, 2 * 3600),
    ]
    for spec, slot in zip(specs, (recent, recent, stale)):
        _killed_run(db, spec.id, slot)
    assert recover_interrupted(db) == 3
    assert {s.job for s in interrupted_slots(db, now - timedelta(days=1))} == {s.id for s in specs}

    service = SchedulerService(config, db, specs=specs, lease_ttl=3, stop_grace=5)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        for spec in specs[:2]:
            wait_for(lambda: [r for r in digest_runs(db, spec.id) if r[1] == 2 and r[0] == "ok"],
                     30, what=f"{spec.id} to be rerun")
        status = collect(db, config)
        # the lease was taken a moment ago; status asks for a person once the rerun window passed
        with db.session() as s:
            s.execute(update(JobRun).where(JobRun.job == specs[2].id)
                      .values(finished_at=real_now() - timedelta(minutes=11)))
        found = problems(collect(db, config))
    finally:
        service.stop.set()
        thread.join(30)
    assert not thread.is_alive()
    for spec, slot in zip(specs[:2], (recent, recent)):
        assert [(r[0], r[1], r[2]) for r in digest_runs(db, spec.id)] == [
            ("interrupted", 1, slot), ("ok", 2, slot)]
    assert [(r[0], r[1]) for r in digest_runs(db, specs[2].id)] == [("interrupted", 1)], \
        "a digest three hours late is not sent: the next shift's is due"
    shown = {x.job: [a.status for a in x.attempts] for x in status.slots}
    assert shown == {"weekly": ["interrupted", "ok"], specs[1].id: ["interrupted", "ok"],
                     specs[2].id: ["interrupted"]}
    assert [p for p in found if "未能自动补跑" in p] == [
        f"任务“值班摘要：{stale:%H:%M}”{stale:%Y-%m-%d %H:%M} 的运行被中断，未能自动补跑"
        "（已中断 1 次或已超过补跑时限），请人工处理：可用 yuqing digest --send 补发本班次摘要。"]

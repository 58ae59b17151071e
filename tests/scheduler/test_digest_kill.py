"""Issue 15, item 10: the scheduler is SIGKILLed while the duty digest job runs, then restarted.
The shift's digest must still reach the duty office, exactly once, and `yuqing status` must
show the interrupted run and its rerun. (It used to be lost: the slot fence refused the
rerun and APScheduler had already moved the job to tomorrow.)

The digest job is held mid-run faithfully: its output file is a FIFO nobody reads, so the
job blocks writing it, as on a stalled disk or network mount, before it queues anything.
The digest time is the next real minute (the cron trigger runs on the real clock), the data
clock is pinned to that minute of a fixed day, so the test is the same at any hour.
SQLite always; PostgreSQL when YUQING_TEST_POSTGRES is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from yuqing.storage.db import Database
from yuqing.storage.models import Delivery, JobRun
from yuqing.storage.scheduling import JobRunInfo
from yuqing.timeutil import SHANGHAI
from tests.receivers import SMTPReceiver

from .conftest import job_children, wait_for, write_config

DIGEST = "【值班摘要】"


def next_minute(lead: float = 15.0) -> datetime:
    """The first whole minute (Asia/Shanghai) at least `lead` seconds from now: time enough
    for the scheduler to start and schedule the digest before it is due."""
    at = datetime.now(SHANGHAI) + timedelta(seconds=lead)
    return at.replace(second=0, microsecond=0) + timedelta(minutes=1)


def digest_child(scheduler_pid: int) -> int | None:
    for pid in job_children(scheduler_pid):
        try:
            if b"yuqing.app.jobs:digest" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def blocked_on_fifo(pid: int | None) -> bool:
    try:
        return pid is not None and Path(f"/proc/{pid}/wchan").read_text() == "wait_for_partner"
    except OSError:
        return False


def digest_runs(db: Database, job: str) -> list[tuple[str, int, datetime, str]]:
    with db.session() as s:
        return [(r.status, info.attempt, info.scheduled_at, r.detail) for r, info in s.execute(
            select(JobRun, JobRunInfo).join(JobRunInfo, JobRunInfo.job_run_id == JobRun.id)
            .where(JobRun.job == job).order_by(JobRun.id)).all()]


def cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "yuqing.app.cli", *args], capture_output=True,
                          text=True, timeout=180, env={**os.environ, **env, "COLUMNS": "200"})


@pytest.mark.parametrize("sent_by_hand", [False, True], ids=["rerun-sends", "already-sent"])
def test_digest_killed_mid_run_arrives_once_after_restart(db, tmp_path, scheduler_processes,
                                                          sent_by_hand):
    slot = next_minute()
    hhmm = f"{slot:%H%M}"
    job = f"digest:{hhmm}"
    config_dir = write_config(tmp_path / "cfg", only=[], delivery="1s")
    settings = config_dir / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "digest_times: []", f'digest_times: ["{slot:%H:%M}"]'), encoding="utf-8")
    pinned = datetime(2026, 11, 30, slot.hour, slot.minute, 30, tzinfo=SHANGHAI)
    smtp = SMTPReceiver().start()
    home = tmp_path / "home"
    env = {"YUQING_NOW": pinned.isoformat(), "YUQING_CHANNEL_QZFB": smtp.url(),
           "YUQING_HOME": str(home), "YUQING_DATABASE_URL": db.url}
    try:
        # the digest job's output file never finishes opening while this FIFO has no reader
        (home / "digests").mkdir(parents=True)
        fifo = home / "digests" / f"digest-{pinned:%Y%m%d-%H%M}.md"
        os.mkfifo(fifo)

        first = scheduler_processes(config_dir, db.url, home, ttl=2, env=env)
        wait = (slot - datetime.now(SHANGHAI)).total_seconds() + 60
        wait_for(lambda: blocked_on_fifo(digest_child(first.pid)), wait, interval=0.1,
                 what="the digest job to be running (held writing its file)")
        assert [(status, attempt) for status, attempt, _, _ in digest_runs(db, job)] == \
            [("running", 1)]
        first.kill()                                   # SIGKILL: no goodbye, no cleanup
        wait_for(lambda: not job_children(first.pid), 10, what="the killed scheduler's jobs to die")
        with db.session() as s:
            assert s.scalars(select(Delivery.key).where(Delivery.key.like("digest:%"))).all() == []
        assert smtp.subjects() == []

        fifo.unlink()                                  # the disk is back
        if sent_by_hand:
            # the duty officer sends this shift's digest by hand before the scheduler is back:
            # the rerun must see the shift as sent
            done = cli(["--config", str(config_dir), "digest", "--send"], env)
            assert done.returncode == 0, done.stdout + done.stderr
            assert [s for s in smtp.subjects() if s.startswith(DIGEST)] != []

        second = scheduler_processes(config_dir, db.url, home, ttl=2, env=env)
        if not sent_by_hand:
            wait_for(lambda: [s for s in smtp.subjects() if s.startswith(DIGEST)], 90,
                     what="the digest mail")
        wait_for(lambda: [r for r in digest_runs(db, job) if r[1] == 2 and r[0] != "running"],
                 90, what="the interrupted digest slot to be run again")
        # a few more delivery rounds: nothing else may come
        with db.session() as s:
            last = s.scalar(select(JobRun.id).where(JobRun.job == "delivery")
                            .order_by(JobRun.id.desc()).limit(1))
        wait_for(lambda: len([r for r in _ok_deliveries(db) if r > (last or 0)]) >= 3, 60,
                 what="three more delivery runs")
        assert second.terminate() == 0
    finally:
        smtp.stop()

    digests = [s for s in smtp.subjects() if s.startswith(DIGEST)]
    assert digests == [f"{DIGEST}芝罘区舆情 {pinned:%Y-%m-%d %H:%M}（新增预警 0 条）"], \
        "the shift's digest arrives exactly once"
    written = [p for p in (home / "deliveries").glob("*.md")
               if DIGEST in p.read_text(encoding="utf-8")]
    assert len(written) == 1 and written[0].read_text(encoding="utf-8").count(DIGEST) == 1, \
        "the file channel got the digest once too"

    runs = digest_runs(db, job)
    assert [(status, attempt) for status, attempt, _, _ in runs] == [("interrupted", 1), ("ok", 2)]
    assert runs[0][2] == runs[1][2] == slot, "the rerun is for the interrupted slot"
    assert ("queued=0" in runs[1][3]) == sent_by_hand, runs[1][3]

    shown = cli(["--config", str(config_dir), "status", "--json"], env)
    status = json.loads(shown.stdout)
    [lost] = status["interrupted_slots"]
    assert lost["job"] == job and [(a["attempt"], a["status"]) for a in lost["attempts"]] == \
        [(1, "interrupted"), (2, "ok")]
    assert not any("未能自动补跑" in p for p in status["problems"])
    [row] = [j for j in status["jobs"] if j["id"] == job]
    assert (row["status"], row["attempt"]) == ("ok", 2)
    text = cli(["--config", str(config_dir), "status"], env).stdout
    label = f"值班摘要：{slot:%H:%M}"
    assert f"{label}（计划 {slot:%Y-%m-%d %H:%M}）：首次运行" in text, text
    assert "中断：调度程序异常退出，该次运行被中断；补跑（第 2 次）" in text and "成功" in text, text
    assert "成功（补跑，第 2 次）" in text, text


def _ok_deliveries(db: Database) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(JobRun.id).where(JobRun.job == "delivery",
                                                      JobRun.status == "ok")))

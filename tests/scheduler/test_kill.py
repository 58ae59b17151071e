"""SIGKILL the scheduler at random points of a cycle (mid-crawl, mid-analysis, mid-detection,
mid-delivery), restart it, let it finish: the result must equal one clean run's — no mention
lost or stored twice, no warning opened twice, every delivery sent exactly once.

YUQING_KILLS sets how many kills (default 5); bench/ may loop this with a larger number.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from yuqing.config import load_config
from yuqing.storage.db import Database
from yuqing.storage.models import Delivery, JobRun, Mention, Warning
from yuqing.storage.scheduling import real_now
from yuqing.timeutil import now

from .conftest import job_children, wait_for, write_config

KILLS = int(os.environ.get("YUQING_KILLS", "5"))
# two sources keep the test near a minute on two cores; YUQING_KILL_SOURCES=all for all four
SOURCES = (None if os.environ.get("YUQING_KILL_SOURCES") == "all"
           else ["sample-weibo", "sample-board"])
STAGES = ["crawl:", "analysis", "delivery", "detection", "crawl:", "analysis"]
MARKER = re.compile(r"<!-- delivery (\S+) -->")
# The schedulers' lease (production default 60 s). At 2 s, a loaded two-core machine (load
# average 12+, other suites running) stalls the scheduler process for longer than the lease
# (5 s seen): its heartbeat comes late, it loses the lease and exits 3 as designed, and no
# scheduler is left to settle the cycle — on main as on this branch. That is not what this
# test is about; 10 s keeps restarts quick and the heartbeat out of the way.
LEASE_TTL = 10.0


def outcome(db: Database) -> dict:
    with db.session() as s:
        mentions = list(s.scalars(select(Mention.url)))
        which = {w.id: (w.kind, w.topic_id, w.place_id) for w in s.scalars(select(Warning))}
        deliveries = list(s.scalars(select(Delivery)))
    # a warning by what it is about, not by its id: ids follow the order warnings opened in,
    # which depends on the order evidence arrived in (an unanswered message may open before
    # a spike whose posts are still being crawled)
    return {"mentions": Counter(mentions), "warnings": Counter(which.values()),
            "deliveries": Counter((d.department_id, d.channel, which.get(d.warning_id, d.key.split(":", 1)[0]))
                                  for d in deliveries),
            "unsent": [d.key for d in deliveries if d.status != "sent"]}


def delivered_keys(home: Path, db: Database) -> Counter:
    """Outbox keys written to file channels; a grouped message carries its batch key, which
    stands for every outbox row in that batch."""
    from yuqing.storage.alerting import DeliveryBatch

    with db.session() as s:
        batches = {b.key: b.delivery_ids for b in s.scalars(select(DeliveryBatch))}
        keys_by_id = dict(s.execute(select(Delivery.id, Delivery.key)).all())
    keys: Counter = Counter()
    for file in (home / "deliveries").glob("*.md"):
        for marker in MARKER.findall(file.read_text(encoding="utf-8")):
            if marker in batches and marker not in keys_by_id.values():
                keys.update(keys_by_id[i] for i in batches[marker])
            else:
                keys.update(marker.split("+"))
    return keys


def running(db: Database, stage: str) -> bool:
    with db.session() as s:
        return s.scalar(select(JobRun.id).where(JobRun.job.like(f"{stage}%"),
                                                JobRun.status == "running").limit(1)) is not None


def _count(detail: str, name: str) -> int:
    found = re.search(rf"\b{name}=(\d+)", detail or "")
    return int(found.group(1)) if found else 0


def settled(db: Database, since, crawls: set[str]) -> bool:
    """Every source was crawled again, a detection read the store after it stopped changing
    and a delivery ran after that detection, nothing is left to do.

    The stages run side by side, each in its own process, so a stage that finished after
    another may have started, and read the store, before it: a detection that started while
    the last analysis was storing its batch finished after that analysis, but without its
    mentions (the next detection, 2 s later, has them; the test must wait for it). Ordered
    by start after finish: the store is final once an analysis that started after the last
    crawl that stored anything finds nothing to analyse (analyses run one at a time)."""
    with db.session() as s:
        runs = s.execute(select(JobRun.job, JobRun.started_at, JobRun.finished_at, JobRun.detail)
                         .where(JobRun.status == "ok", JobRun.started_at > since)).all()
        pending = s.scalar(select(Delivery.id).where(Delivery.status != "sent").limit(1))
        unanalysed = s.scalar(select(Mention.id).where(Mention.analysed_at.is_(None)).limit(1))
    crawled = [r for r in runs if r.job.startswith("crawl:")]
    if {r.job for r in crawled} != crawls or pending or unanalysed:
        return False
    changed = max([since] + [r.finished_at for r in crawled
                             if _count(r.detail, "new") or _count(r.detail, "updated")])
    final = min((r.finished_at for r in runs if r.job == "analysis" and r.started_at > changed
                 and _count(r.detail, "analysed") == 0), default=None)
    if final is None:
        return False
    detected = min((r.finished_at for r in runs if r.job == "detection" and r.started_at > final),
                   default=None)
    return detected is not None and any(r.job == "delivery" and r.started_at > detected for r in runs)


def test_sigkill_anywhere_then_restart_loses_and_duplicates_nothing(
        tmp_path, sample_sites, monkeypatch, scheduler_processes):
    for key, value in sample_sites.env().items():
        monkeypatch.setenv(key, value)
    config_dir = write_config(tmp_path / "cfg", "5s", only=SOURCES, analysis="2s",
                              detection="2s", delivery="1s", escalation="30s")

    # the reference: one clean store, filled by two full cycles without interruption
    from yuqing.app.cycle import run_cycle

    ref_home = tmp_path / "ref"
    monkeypatch.setenv("YUQING_HOME", str(ref_home))
    reference_db = Database(f"sqlite:///{tmp_path / 'ref.db'}")
    reference_db.migrate()
    config = load_config(config_dir)
    try:
        for _ in range(2):
            run_cycle(config, reference_db)
    except Exception as exc:        # noqa: BLE001 - the stages are still being built
        pytest.skip(f"参考运行失败，流水线尚未完成：{type(exc).__name__}: {exc}")
    reference = outcome(reference_db)
    reference_db.dispose()
    if not reference["mentions"]:
        pytest.skip("参考运行没有采集到任何内容：采集器或示例网站尚未完成")

    home = tmp_path / "home"
    db_url = f"sqlite:///{tmp_path / 'killed.db'}"
    db = Database(db_url)
    db.migrate()
    rng = random.Random(20261127)
    kills = []
    for i in range(KILLS):
        stage = STAGES[i % len(STAGES)]
        proc = scheduler_processes(config_dir, db_url, home, ttl=LEASE_TTL)
        wait_for(lambda: running(db, stage), 60, interval=0.02, what=f"a running {stage} job")
        delay = rng.uniform(0, 0.8)
        time.sleep(delay)
        proc.kill()
        kills.append((stage, round(delay, 2)))
        wait_for(lambda: not job_children(proc.pid), 10, what="the killed scheduler's jobs to die")

    # let it finish; stale 'sending' deliveries are retried after 10 minutes of data time
    final_start = real_now()
    # data time, as the killed schedulers' (scripts/at-clock shifts it from the real clock)
    later = (now() + timedelta(minutes=15)).isoformat()
    proc = scheduler_processes(config_dir, db_url, home, ttl=LEASE_TTL, env={"YUQING_NOW": later})
    crawls = {f"crawl:{source.id}" for source in config.sources}
    restarts = []

    def done() -> bool:
        nonlocal proc
        if proc.proc.poll() == 3:
            # a stall longer than the lease (load 10+) loses it and the scheduler exits 3, as
            # designed; systemd starts it again (deploy/yuqing-scheduler.service), so does this
            restarts.append(real_now())
            proc = scheduler_processes(config_dir, db_url, home, ttl=LEASE_TTL, env={"YUQING_NOW": later})
        return settled(db, final_start, crawls)

    wait_for(done, 300, interval=0.5, what="the cycle to settle")
    assert proc.terminate() == 0

    result = outcome(db)
    db.dispose()
    assert result["mentions"] == reference["mentions"], f"mentions differ after kills {kills}"
    assert result["warnings"] == reference["warnings"], f"warnings differ after kills {kills}"
    # The same departments hear of the same warnings on the same channels. How many times can
    # differ: a kill mid-crawl lets evidence arrive over several detection runs, and each
    # severity upgrade is announced again (a new revision, a new key). Exactly-once per key is
    # checked on the receiving side below.
    assert set(result["deliveries"]) == set(reference["deliveries"]), f"deliveries differ after kills {kills}"
    assert result["unsent"] == []
    sent = delivered_keys(home, Database(db_url))
    with Database(db_url).session() as s:
        keys = set(s.scalars(select(Delivery.key).where(Delivery.channel == "file://")))
    assert {k: n for k, n in sent.items() if n != 1} == {}, "a delivery was written twice"
    assert set(sent) == keys, "every file delivery arrived"


def test_settled_waits_for_a_detection_that_read_the_final_store(tmp_path):
    """A detection that started while the last analysis was storing its batch finished after
    that analysis without its mentions: only one started after an analysis found nothing left
    to analyse has read the final store (the kill test once judged a cycle settled on such a
    detection and missed a warning the next detection would have opened)."""
    from yuqing.storage.models import Base

    db = Database(f"sqlite:///{tmp_path / 'runs.db'}")
    Base.metadata.create_all(db.engine, tables=[JobRun.__table__, Delivery.__table__, Mention.__table__])
    since = real_now()

    def ran(job, start, end, detail=""):
        with db.session() as s:
            s.add(JobRun(job=job, started_at=since + timedelta(seconds=start), status="ok",
                         finished_at=since + timedelta(seconds=end), detail=detail))

    ran("crawl:a", 1, 3, "source_status=ok new=40 updated=0 failed=0")
    ran("analysis", 4, 20, "analysed=40 negative=19 new_stories=40")
    ran("detection", 6, 21, "opened=1 updated=0 subsided=0")     # read the store at 6 s
    ran("delivery", 22, 23, "sent=2 failed=0")
    assert not settled(db, since, {"crawl:a"})
    ran("analysis", 21, 24, "analysed=0 negative=0 new_stories=0")
    ran("detection", 22, 26, "opened=0 updated=0 subsided=0")      # started before 24 s
    ran("delivery", 26, 27, "sent=0 failed=0")
    assert not settled(db, since, {"crawl:a"})
    ran("crawl:a", 25, 27, "source_status=ok new=0 updated=0 failed=0")
    ran("detection", 28, 30, "opened=1 updated=0 subsided=0")
    assert not settled(db, since, {"crawl:a"})                   # no delivery since
    ran("delivery", 31, 32, "sent=2 failed=0")
    assert settled(db, since, {"crawl:a"})
    assert not settled(db, since, {"crawl:a", "crawl:b"})
    db.dispose()

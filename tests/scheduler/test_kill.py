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
        warnings = [(w.kind, w.topic_id, w.place_id) for w in s.scalars(select(Warning))]
        deliveries = list(s.scalars(select(Delivery)))
    return {"mentions": Counter(mentions), "warnings": Counter(warnings),
            "deliveries": Counter((d.department_id, d.channel, d.key.split(":", 1)[0])
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


def settled(db: Database, since, crawls: set[str]) -> bool:
    """Every source was crawled again, every stage ran after that, nothing is left to do."""
    with db.session() as s:
        crawled = set(s.scalars(select(JobRun.job).where(
            JobRun.job.like("crawl:%"), JobRun.status == "ok", JobRun.started_at > since)))
        if crawled != crawls:
            return False
        done = {}
        for job in ("crawl:", "analysis", "detection", "delivery"):
            done[job] = s.scalar(select(JobRun.finished_at).where(
                JobRun.job.like(f"{job}%"), JobRun.status == "ok", JobRun.started_at > since)
                .order_by(JobRun.finished_at.desc()).limit(1))
        pending = s.scalar(select(Delivery.id).where(Delivery.status != "sent").limit(1))
        unanalysed = s.scalar(select(Mention.id).where(Mention.analysed_at.is_(None)).limit(1))
    if None in done.values() or pending or unanalysed:
        return False
    return done["crawl:"] < done["analysis"] < done["detection"] < done["delivery"]


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
    later = (real_now() + timedelta(minutes=15)).isoformat()
    proc = scheduler_processes(config_dir, db_url, home, ttl=LEASE_TTL, env={"YUQING_NOW": later})
    crawls = {f"crawl:{source.id}" for source in config.sources}
    wait_for(lambda: settled(db, final_start, crawls), 300, interval=0.5, what="the cycle to settle")
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

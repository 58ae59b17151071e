"""Crawler workers sharing Redis (scrapy-redis): exactly what one machine stores, once each,
even when workers are killed; and a site never sees more requests in flight than its limit.

Real parts only: worker processes (`yuqing worker crawl`), the Redis on 127.0.0.1:6379 (CI
starts it), the bundled sample sites and a counting site on loopback, SQLite and PostgreSQL.
Every test uses its own Redis key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import func, select

from yuqing.app.cli import main
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionVersion, SourceRun
from countingsite import CountingSite
from edgesites import FAST, write_config

REDIS = os.environ.get("YUQING_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _redis():
    try:
        import redis

        server = redis.Redis.from_url(REDIS)
        server.ping()
        return server
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"Redis not reachable at {REDIS}: {exc}")


@pytest.fixture
def prefix():
    server = _redis()
    name = f"yqtest-{uuid.uuid4().hex[:8]}"
    yield name
    for key in server.scan_iter(f"{name}:*"):
        server.delete(key)


def start_worker(config: str, db_url: str, prefix: str, env: dict | None = None) -> subprocess.Popen:
    full = {**os.environ, **(env or {}), "YUQING_DATABASE_URL": db_url, "YUQING_REDIS_PREFIX": prefix,
            "YUQING_WORKER_LEASE": "3"}
    cmd = [sys.executable, "-m", "yuqing.app.cli", "--config", config, "worker", "crawl",
           "--redis", REDIS, "--idle-exit", "2"]
    return subprocess.Popen(cmd, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        _out, err = proc.communicate(timeout=400)
        assert proc.returncode in (0, -9), err[-3000:]


def stored(url: str) -> tuple[list[str], int]:
    db = Database(url)
    try:
        with db.session() as s:
            return (sorted(s.scalars(select(Mention.url))),
                    s.scalar(select(func.count()).select_from(MentionVersion)))
    finally:
        db.dispose()


@pytest.fixture
def reference(sample_sites, demo_config, tmp_path):
    """What a single-machine crawl of the same sample sites stores (of the sources the workers
    share: 人民网领导留言板 stays with the scheduler's own crawl)."""
    from yuqing.crawlers.distributed import SHARED_KINDS

    url = f"sqlite:///{tmp_path / 'single.db'}"
    Database(url).migrate()
    crawl_in_subprocess(demo_config.directory, url, crawl=FAST,
                        source_ids=[s.id for s in demo_config.sources
                                    if s.enabled and s.kind in SHARED_KINDS])
    urls, _ = stored(url)
    assert len(urls) > 200
    return urls


def test_two_workers_store_what_one_machine_stores_exactly_once(db, reference, demo_config, prefix):
    procs = [start_worker(demo_config.directory, db.url, prefix) for _ in range(2)]
    finish(procs)
    urls, versions = stored(db.url)
    assert urls == reference            # nothing lost, and unique URLs: nothing stored twice
    assert versions == 0                # no page stored a second time as a "new version"
    with db.session() as s:
        runs = s.scalars(select(SourceRun)).all()
        assert runs and all(r.status in ("ok", "partial") for r in runs)
        assert sum(r.items_new for r in runs) == len(reference)


def test_killed_workers_lose_nothing_and_store_nothing_twice(db, reference, demo_config, prefix):
    """Three workers; two are killed with SIGKILL at random points (each replaced), the
    survivors requeue what the dead had in flight once their heartbeats expire."""
    rng = random.Random(int(os.environ.get("YUQING_KILL_SEED", "18")))
    procs = [start_worker(demo_config.directory, db.url, prefix) for _ in range(3)]
    started = time.monotonic()
    for target in sorted(rng.randint(10, len(reference) - 30) for _ in range(2)):
        while len(stored(db.url)[0]) < target and time.monotonic() - started < 300:
            time.sleep(0.05)
        rng.choice([p for p in procs if p.poll() is None]).kill()
        procs.append(start_worker(demo_config.directory, db.url, prefix))
    finish(procs)
    urls, versions = stored(db.url)
    assert sorted(set(reference) - set(urls)) == []
    assert urls == reference and versions == 0


def test_a_site_never_sees_more_than_its_limit_across_workers(tmp_path, db, prefix):
    servers = [CountingSite((f"127.0.0.{20 + k}", 0)).start() for k in range(2)]
    try:
        sources = "sources:\n" + "".join(
            f"  - id: count{k}\n    name: 计数站点{k}\n    kind: site\n"
            f"    urls: [\"http://{s.server_address[0]}:{s.server_address[1]}/list.html\"]\n"
            f"    allow_private: true\n    selectors: {{list_links: 'ul.list li a'}}\n"
            for k, s in enumerate(servers))
        config = write_config(tmp_path / "cfg", sources)
        (tmp_path / "cfg" / "settings.yaml").write_text(
            "crawl:\n  download_delay: 0s\n  concurrency_per_domain: 1\n  autothrottle: false\n",
            encoding="utf-8")
        finish([start_worker(config, db.url, prefix) for _ in range(3)])
    finally:
        for srv in servers:
            srv.shutdown()
    assert len(stored(db.url)[0]) == 48
    for srv in servers:
        assert srv.served >= 25
        assert srv.peak == 1, f"{srv.server_address[0]} had {srv.peak} requests at once"


def test_worker_crawl_needs_a_reachable_redis(capsys, monkeypatch, db_url):
    monkeypatch.setenv("YUQING_DATABASE_URL", db_url)
    monkeypatch.delenv("YUQING_REDIS_URL", raising=False)
    assert main(["worker", "crawl"]) == 2
    assert "未指定 Redis" in capsys.readouterr().out
    assert main(["worker", "crawl", "--redis", "redis://127.0.0.1:1/0"]) == 2
    assert "无法连接 Redis" in capsys.readouterr().out

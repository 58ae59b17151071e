"""Parallel analysis on PostgreSQL: 1 worker against 2, with exactly-once checked by counts.

    python bench/bench_analysis_workers.py [--mentions 3000] [--quick]

Stores N pending mentions (~300 characters each, from bench_analysis' texts), runs
`yuqing worker analyse --once` processes, and measures mentions per second between the first
and the last committed batch (so process start-up, the same for every run, is left out). Then
resets the analysis and repeats with two workers. Checks: the workers' own counts add up to N
(a mention analysed twice would be counted twice), and none is left pending.
Skipped without YUQING_BENCH_POSTGRES / YUQING_TEST_POSTGRES (SQLite workers take turns).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

POSTGRES = os.environ.get("YUQING_BENCH_POSTGRES") or os.environ.get("YUQING_TEST_POSTGRES")


def store(db, n: int) -> None:
    from bench_analysis import texts

    from yuqing.storage.models import Mention
    from yuqing.timeutil import now

    pairs = texts(2 * n)
    at = now()
    with db.session() as s:
        s.add_all(Mention(source_id="bench", url=f"http://bench.test/{i}", title=pairs[i][0],
                          content=pairs[i][1] + pairs[n + i][0] + pairs[n + i][1],
                          published_at=at - timedelta(seconds=i)) for i in range(n))


def reset(db) -> None:
    from sqlalchemy import delete, update

    from yuqing.storage.models import Mention, MentionTopic, Story

    with db.session() as s:
        s.execute(update(Mention).values(analysed_at=None, story_id=None, signature=None, place_id=None))
        s.execute(delete(MentionTopic))
        s.execute(delete(Story))


def run(url: str, workers: int, n: int) -> tuple[float, list[int], float]:
    from sqlalchemy import func, select

    from yuqing.storage.db import Database
    from yuqing.storage.models import Mention

    env = {**os.environ, "YUQING_DATABASE_URL": url, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "yuqing.app.cli", "--config", "default", "worker", "analyse",
           "--once", "--quiet", "--batch", "50"]
    import resource

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu_before = cpu()
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(workers)]
    counts = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        if proc.returncode:
            raise SystemExit(err[-2000:])
        counts.append(int(re.search(r"本进程共分析 (\d+) 条", out).group(1)))
    spent = cpu() - cpu_before
    db = Database(url)
    with db.session() as s:
        first, last = s.execute(select(func.min(Mention.analysed_at), func.max(Mention.analysed_at))).one()
        pending = s.scalar(select(func.count()).where(Mention.analysed_at.is_(None)))
    db.dispose()
    if pending or sum(counts) != n:
        raise SystemExit(f"exactly-once violated: {counts} analysed of {n}, {pending} pending")
    return n / max((last - first).total_seconds(), 1e-6), counts, n / spent


def bytes_per_mention(db, n: int) -> float:
    from sqlalchemy import text

    tables = ("mentions", "mention_topics", "stories", "events", "event_mentions", "event_keys")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for t in tables:            # the reset between runs left dead rows: count live data only
            conn.execute(text(f"VACUUM FULL {t}"))
        total = sum(conn.execute(text("SELECT pg_total_relation_size(to_regclass(:t))"), {"t": t}).scalar() or 0
                    for t in tables)
    return total / n


def average_chars(db) -> float:
    from sqlalchemy import func, select

    from yuqing.storage.models import Mention

    with db.session() as s:
        return float(s.scalar(select(func.avg(func.length(Mention.title) + func.length(Mention.content)))) or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=3000)
    parser.add_argument("--quick", action="store_true", help="600 mentions")
    args = parser.parse_args(argv)
    if args.quick:
        args.mentions = 600
    if not POSTGRES:
        print("skipped: set YUQING_BENCH_POSTGRES or YUQING_TEST_POSTGRES (parallel analysis needs PostgreSQL)")
        return 0
    from sqlalchemy import create_engine, text

    from yuqing.storage.db import Database

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}options=-csearch_path%3D{schema}"
    try:
        db = Database(url)
        db.migrate()
        store(db, args.mentions)
        print(f"{args.mentions} mentions on PostgreSQL; nproc {os.cpu_count()}")
        print(f"{'workers':>8}{'mentions/s':>12}{'per worker':>22}{'ratio':>8}{'per CPU-s':>11}{'load avg':>10}")
        base = None
        for workers in (1, 2):
            reset(db)
            rate, counts, per_cpu = run(url, workers, args.mentions)
            base = base or rate
            # mentions per CPU-second of the workers (start-up included): flat from 1 to 2 workers
            # means the claim and the story lock cost nothing; the wall-clock ratio is then the
            # share of the two cores the workers could get on this machine
            print(f"{workers:>8}{rate:>12.1f}{str(counts):>22}{rate / base:>7.2f}x{per_cpu:>11.1f}"
                  f"{os.getloadavg()[0]:>10.1f}", flush=True)
        print(f"exactly once: every run's worker counts add up to {args.mentions}, none left pending")
        print(f"storage: {bytes_per_mention(db, args.mentions):.0f} bytes per analysed mention "
              f"(tables and indexes; texts of ~{average_chars(db):.0f} characters) — for docs/scale.md")
        db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Steady detection cycles of an earlier revision and the current code, alternated on one
kept bench_detect store, each after the same poll's worth of new arrivals.

    python bench/ab_detect.py --schema NAME_<size> [--before REV] [--rounds 8] [--postgres URL]

bench_detect's --before runs the earlier revision's steady cycles without new arrivals and
before the current code's, minutes apart; on a shared machine the load moves in between. Here
two warm child processes (the earlier revision checked out with `git archive`, and the current
code) take turns, cycle by cycle, in alternating order; before each cycle 5 minutes of new
analysed mentions arrive (at the store's rate over its last day), so both pay for catching
the rollups and critical marks up. Both open and update the same warnings (their results are
the same), so the store's warnings carry over from one to the other. Reported: the median
wall time of a cycle, the median CPU time of the detecting process (the rest is waiting: for
the database, and on a loaded machine for a core), and their ratio. Run it with no other
detection on the same PostgreSQL server: catch-ups of every store on a server share one
advisory lock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_detect as B  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from yuqing.config import load_config  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.models import Mention, Story  # noqa: E402

CHILD = """
import sys, time
from datetime import datetime
from yuqing.alerts.detect import detect
from yuqing.config import load_config
from yuqing.storage.db import Database
try:
    config = load_config(sys.argv[2])
except Exception:
    config = load_config("default")
db = Database(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    at = datetime.fromisoformat(line.strip())
    c, t = time.process_time(), time.perf_counter()
    detect(db, config, at)
    print(time.perf_counter() - t, time.process_time() - c, flush=True)
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", required=True, help="a store kept by bench_detect --keep-schema")
    parser.add_argument("--before", default="d38028f")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--postgres", default=os.environ.get("YUQING_TEST_POSTGRES", B.POSTGRES_DEFAULT))
    args = parser.parse_args(argv)
    url = f"{args.postgres}{'&' if '?' in args.postgres else '?'}options=-csearch_path%3D{args.schema}"
    config = load_config("default")
    db = Database(url)
    gen = B.Generator(config)
    with db.session() as s:
        gen.mid = s.scalar(select(func.max(Mention.id))) or 0
        gen.sid = s.scalar(select(func.max(Story.id))) or 0
        per_day = s.scalar(select(func.count()).select_from(Mention).where(
            Mention.published_at > B.END - timedelta(days=1), Mention.published_at <= B.END))
    per_poll = round(per_day * (B.POLL / timedelta(days=1)))
    with tempfile.TemporaryDirectory() as tmp:
        old = B.before_tree(args.before, Path(tmp))
        if old is None:
            return 1
        kids = {}
        for name, root in ((args.before, old), ("现", None)):
            env = {**os.environ, "PYTHONPATH": str(root)} if root else dict(os.environ)
            kids[name] = subprocess.Popen([sys.executable, "-c", CHILD, url, str(B.REPO / "config" / "default")],
                                          env=env, cwd=str(root or B.REPO), stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, text=True)
            assert kids[name].stdout.readline().strip() == "ready"

        def cycle(name, at):
            kids[name].stdin.write(at.isoformat() + "\n")
            kids[name].stdin.flush()
            wall, cpu = kids[name].stdout.readline().split()
            return float(wall), float(cpu)

        at = B.END + timedelta(hours=2)
        for name in kids:                   # warm both; the first opens the store's warnings
            cycle(name, at)
        times = {name: [] for name in kids}
        names = list(kids)
        for i in range(args.rounds):
            for name in (names if i % 2 == 0 else names[::-1]):
                at += B.POLL
                B.arrivals(db, gen, per_poll, at - B.POLL, at)
                times[name].append(cycle(name, at))
        for kid in kids.values():
            kid.stdin.close()
            kid.wait()
    med = {n: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for n, v in times.items()}
    print(f"{args.schema}：交替 {args.rounds} 轮，每轮之前新到 {per_poll} 条；nproc={os.cpu_count()}，负载 {os.getloadavg()[0]:.1f}")
    for name, (wall, cpu) in med.items():
        print(f"  {name:8s} 稳定周期 {wall:6.3f}s（检测进程 CPU {cpu:5.3f}s，其余为等数据库和等 CPU）")
    print(f"  现/{args.before} = {med['现'][0] / med[args.before][0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

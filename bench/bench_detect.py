"""Seconds per detection cycle over generated stores of 100k, 300k and 1M mentions spread
over 28 days, on SQLite (and PostgreSQL when reachable); growth factor against 100k, and
the ratio to the detection code of an earlier revision on the very same store.

    python bench/bench_detect.py [--quick] [--sizes 100000,300000,1000000] [--postgres URL]
                                 [--no-postgres] [--rounds 3] [--keep DIR] [--before REV|none]

A cycle is `alerts.detect.detect` at the end of the 28 days: the series aggregation, the
single-item rules and the warning updates. The first cycle (which opens the warnings the
generated data deserves) is reported apart from the steady cycles after it.

--before (default: the revision before issue 13's detection work) runs that revision's
detection, checked out with `git archive` into a temporary package tree, in a child process
on the same store first; its warnings are then removed and the current code runs. The ratio
now/before is the cost of the new detection at the same size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from yuqing.alerts.detect import detect  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.models import Mention, MentionTopic, Story  # noqa: E402

DAYS = 28
END = datetime(2025, 1, 29, 4, 0, tzinfo=timezone.utc)
WORDS = "供暖 暖气 不热 投诉 物业 电梯 停运 入学 划片 噪音 扰民 占道 经营 医院 排队 工资 拖欠 食品 过期 小区 居民 反映 " \
        "部门 回复 处理 情况 街道 社区 问题 希望 尽快 解决".split()
POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BEFORE_DEFAULT = "34279cc"      # main before issue 13's detection work
# repository folder -> package under the yuqing namespace (pyproject's package-dir)
PACKAGES = {"yuqing": "yuqing", "app": "yuqing/app", "config": "yuqing/config", "storage": "yuqing/storage",
            "crawlers": "yuqing/crawlers", "analysis": "yuqing/analysis", "alerts": "yuqing/alerts",
            "reports": "yuqing/reports", "web": "yuqing/web", "sample_sites": "yuqing/sample_sites"}
CHILD = """
import statistics, sys, time
from datetime import datetime, timedelta
from yuqing.alerts.detect import detect
from yuqing.config import load_config
from yuqing.storage.db import Database
end = datetime.fromisoformat(sys.argv[2]); rounds = int(sys.argv[3])
config = load_config("default"); db = Database(sys.argv[1])
t = time.perf_counter(); detect(db, config, end); first = time.perf_counter() - t
steady = []
for i in range(rounds):
    t = time.perf_counter(); detect(db, config, end + timedelta(minutes=5 * (i + 1))); steady.append(time.perf_counter() - t)
print(first, statistics.median(steady))
"""


def before_tree(rev: str, tmp: Path) -> Path | None:
    """The package tree of an earlier revision, importable as `yuqing` from the returned dir."""
    import io
    import subprocess
    import tarfile

    try:
        data = subprocess.run(["git", "-C", str(REPO), "archive", rev, *PACKAGES], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"无法取出修订 {rev} 的代码（{exc}），不做前后对比")
        return None
    src = tmp / f"before-{rev}-src"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(src, filter="data")
    root = tmp / f"before-{rev}"
    for folder, package in PACKAGES.items():
        if (src / folder).is_dir():
            (root / package).parent.mkdir(parents=True, exist_ok=True)
            (src / folder).rename(root / package)
    return root


def before_times(root: Path, url: str, rounds: int) -> tuple[float, float]:
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", CHILD, url, END.isoformat(), str(rounds)], env=env,
                         check=True, capture_output=True, text=True, cwd=str(root)).stdout
    first, steady = (float(x) for x in out.split()[-2:])
    return first, steady


def reset_warnings(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in ("delivery_batches", "deliveries", "warning_events", "warning_evidence", "assignments",
                      "warnings"):
            conn.execute(text(f"DELETE FROM {table}"))


def generate(db: Database, config, n: int, seed: int = 7, chunk: int = 20000) -> None:
    """n analysed mentions over 28 days: ~40% on a topic, ~30% negative (2% from official sources), ~30% reprints of a
    recent story, 2% board messages (98% answered), a diurnal rhythm, rare critical words."""
    rng = random.Random(seed)
    topics = [t.id for t in config.topics]
    places = [p.id for p in config.places]
    sources = [s.id for s in config.sources] + ["board", "weibo-misc", "forum"]
    official = {s.id for s in config.sources if s.authority == "official"}
    start = END - timedelta(days=DAYS)
    recent_stories: list[int] = []
    mid, sid = 0, 0
    with db.engine.begin() as conn:
        while mid < n:
            mentions, links, stories = [], [], []
            for _ in range(min(chunk, n - mid)):
                mid += 1
                day = rng.random() * DAYS
                hour = rng.choice((1, 7, 9, 10, 11, 14, 15, 16, 19, 20, 21, 22))
                when = start + timedelta(days=int(day), hours=hour, minutes=rng.random() * 60)
                if when > END:
                    when = END - timedelta(minutes=rng.random() * 600)
                title = "".join(rng.choices(WORDS, k=8))
                if rng.random() < 0.0001:
                    title += "爆炸"
                if recent_stories and rng.random() < 0.3:
                    story = rng.choice(recent_stories[-500:])
                else:
                    sid += 1
                    story = sid
                    stories.append({"id": sid, "title": title, "origin_mention_id": mid,
                                    "first_seen_at": when, "copies": 1})
                    recent_stories.append(sid)
                kind = "message" if rng.random() < 0.02 else "article"
                source = rng.choice(sources)
                # official sources rarely publish negative items about their own district
                negative = rng.random() < (0.02 if source in official else 0.3)
                mentions.append({
                    "id": mid, "source_id": source, "url": f"http://gen.test/{mid}",
                    "kind": kind, "title": title, "content": "".join(rng.choices(WORDS, k=60)),
                    "published_at": when, "fetched_at": when + timedelta(minutes=5),
                    "analysed_at": when + timedelta(minutes=6), "sentiment": 0.5,
                    "negative": negative, "place_id": rng.choice(places) if rng.random() < 0.6 else None,
                    "story_id": story, "reply": "已答复" if kind == "message" and rng.random() < 0.98 else "",
                    "attachments": []})
                if rng.random() < 0.4:
                    links.append({"mention_id": mid, "topic_id": rng.choice(topics), "matched": []})
            if stories:
                conn.execute(insert(Story.__table__), stories)
            conn.execute(insert(Mention.__table__), mentions)
            if links:
                conn.execute(insert(MentionTopic.__table__), links)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def cycle_times(db: Database, config, rounds: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    first = detect(db, config, END)
    first_s = time.perf_counter() - started
    steady = []
    for i in range(rounds):
        started = time.perf_counter()
        detect(db, config, END + timedelta(minutes=5 * (i + 1)))
        steady.append(time.perf_counter() - started)
    return first_s, statistics.median(steady), first.opened


def sqlite_store(tmp: Path, n: int):
    url = f"sqlite:///{tmp / f'detect_{n}.db'}"
    return url, lambda: [p.unlink() for p in tmp.glob(f"detect_{n}.db*")]


def postgres_store(base: str, n: int):
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def postgres_reachable(url: str) -> bool:
    try:
        with create_engine(url, connect_args={"connect_timeout": 3}).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means: skip PostgreSQL
        return False


def run(backend: str, sizes: list[int], rounds: int, tmp: Path, pg_url: str, config,
        before: Path | None) -> list[tuple]:
    results = []
    for n in sizes:
        url, drop = sqlite_store(tmp, n) if backend == "sqlite" else postgres_store(pg_url, n)
        db = Database(url)
        try:
            db.migrate()
            started = time.perf_counter()
            generate(db, config, n)
            gen_s = time.perf_counter() - started
            with db.session() as s:
                negative = s.scalar(select(func.count()).select_from(Mention).where(Mention.negative.is_(True)))
            old = (None, None)
            if before is not None:
                old = before_times(before, url, rounds)
                reset_warnings(db)
            first_s, steady_s, opened = cycle_times(db, config, rounds)
            results.append((backend, n, gen_s, negative, first_s, steady_s, opened, *old))
            ratio = f"  修改前 {old[1]:6.3f}s（现/前 ×{steady_s / old[1]:.2f}）" if old[1] else ""
            print(f"{backend:8s} {n:>9,d} 条  生成 {gen_s:6.1f}s  首轮 {first_s:6.2f}s（开启 {opened} 条预警）"
                  f"  稳定周期 {steady_s:6.3f}s{ratio}", flush=True)
        finally:
            db.dispose()
            drop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny stores (2k, 6k), SQLite only")
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("YUQING_TEST_POSTGRES", POSTGRES_DEFAULT))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", help="directory for the SQLite files (default: a temp dir)")
    parser.add_argument("--before", default=BEFORE_DEFAULT,
                        help="revision whose detection to compare with on the same store ('none': skip)")
    args = parser.parse_args(argv)
    sizes = [2000, 6000] if args.quick else [int(x) for x in args.sizes.split(",")]
    config = load_config("default")
    backends = ["sqlite"]
    if not args.quick and not args.no_postgres:
        if postgres_reachable(args.postgres):
            backends.append("postgres")
        else:
            print(f"PostgreSQL 不可达（{args.postgres}），只测 SQLite")
    print(f"检测周期耗时：{DAYS} 天的数据，nproc={os.cpu_count()}，{datetime.now():%Y-%m-%d}")
    results = []
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        before = None if args.before == "none" or args.quick else before_tree(args.before, Path(tmp))
        for backend in backends:
            results += run(backend, sizes, args.rounds, Path(tmp), args.postgres, config, before)
    print("\n后端       条数        稳定周期(s)  相对最小规模  首轮(s)   修改前稳定周期(s)  现/前")
    for backend in backends:
        rows = [r for r in results if r[0] == backend]
        base = rows[0][5]
        for _, n, _, _, first_s, steady_s, _, _, old in rows:
            vs = f"{old:12.3f}       ×{steady_s / old:5.2f}" if old else "           —"
            print(f"{backend:8s} {n:>10,d}   {steady_s:10.3f}   ×{steady_s / base:5.2f}      {first_s:7.2f}   {vs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

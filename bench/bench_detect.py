"""Seconds per detection cycle against the size of the store, on PostgreSQL (SQLite with
--quick or when PostgreSQL is unreachable); the ratio between sizes, and the ratio to the
detection code of earlier revisions on the very same store.

    python bench/bench_detect.py [--quick] [--sizes 1000000,10000000] [--rate N] [--dense]
                                 [--postgres URL] [--no-postgres] [--rounds 3] [--keep DIR]
                                 [--keep-schema NAME] [--generate-all] [--before REV[,REV…]|none]

A store grows by history, not by rate: every size gets the same mentions per day (--rate,
default: the smallest size over 28 days, i.e. 35,714 a day — a city the size of 烟台市) over
as many days as it takes, so 1M is 28 days and 10M is 280. --dense puts every size in 28
days instead (the rate grows with the size: the present window grows too).

A cycle is `alerts.detect.detect` at the end of the data: catching the hourly rollups up,
the series, the single-item rules and the warning updates. The first cycle (which opens the
warnings the generated data deserves) is reported apart from the steady cycles after it;
before each steady cycle a poll's worth of new analysed mentions (5 minutes at the rate)
arrives, so the steady figure includes rolling them up.

Mentions are written with COPY on PostgreSQL (triggers off, as an old store upgraded), then
the rollups are built with `storage.rollups.rebuild` (timed apart). On PostgreSQL a larger
size that is a multiple of the smallest is built by the server as copies of the smallest
store, each 28 days further back (ids offset, rollups shifted with them; --generate-all
generates every size instead: hours at 10M on this machine). --keep-schema NAME keeps the
stores as schemas NAME_<size> and reuses them next time.

--before (default: the revision before the rollups, and the one before issue 13's detection
work) runs that revision's detection, checked out with `git archive` into a temporary
package tree, in a child process on the same store first (steady cycles without new
arrivals); its warnings are then removed and the current code runs.
"""

from __future__ import annotations

import argparse
import os
import random
import re
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
POLL = timedelta(minutes=5)
WORDS = "供暖 暖气 不热 投诉 物业 电梯 停运 入学 划片 噪音 扰民 占道 经营 医院 排队 工资 拖欠 食品 过期 小区 居民 反映 " \
        "部门 回复 处理 情况 街道 社区 问题 希望 尽快 解决".split()
POSTGRES_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# main before the hourly rollups (issue 18), and main before issue 13's detection work
BEFORE_DEFAULT = "b2f9a74,34279cc"
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
try:     # the current config (its topics are the generated data's); an old loader may refuse it
    config = load_config(sys.argv[4])
except Exception:
    config = load_config("default")
db = Database(sys.argv[1])
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
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, url, END.isoformat(), str(rounds),
                               str(REPO / "config" / "default")], env=env,
                              capture_output=True, text=True, cwd=str(root), timeout=BEFORE_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  {root.name}：超过 {BEFORE_TIMEOUT} 秒未完成，不计", flush=True)
        _cancel_queries(url)
        return float("nan"), float("nan")
    if proc.returncode:
        raise RuntimeError(f"{root.name}: {proc.stderr[-2000:]}")
    out = proc.stdout
    first, steady = (float(x) for x in out.split()[-2:])
    return first, steady


BEFORE_TIMEOUT = 900


def _cancel_queries(url: str) -> None:
    """The timed-out child's statements may still run on the server: cancel this store's."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_cancel_backend(a.pid) FROM pg_stat_activity a WHERE a.pid <> pg_backend_pid() "
                          "AND a.state <> 'idle' AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                          "WHERE l.pid = a.pid AND c.relnamespace = current_schema()::regnamespace)"))
    engine.dispose()


def reset_warnings(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in ("delivery_batches", "deliveries", "warning_events", "warning_evidence", "assignments",
                      "warnings"):
            conn.execute(text(f"DELETE FROM {table}"))


MENTION_COLS = ("id", "source_id", "url", "kind", "title", "content", "author", "origin", "published_at",
                "fetched_at", "encoding", "attachments", "content_hash", "version", "reply", "reply_department",
                "channel", "external_id", "status", "details", "analysed_at", "sentiment", "negative",
                "place_id", "story_id", "voice")


class Generator:
    """Analysed mentions at a steady rate: ~40% on a topic, ~30% negative (2% from official
    sources), ~30% reprints of a recent story, 2% board messages (98% answered), a diurnal
    rhythm, rare critical words."""

    def __init__(self, config, seed: int = 7, topics: list[str] | None = None):
        self.rng = random.Random(seed)
        self.topics = topics or [t.id for t in config.topics]
        self.places = [p.id for p in config.places]
        self.sources = [s.id for s in config.sources] + ["board", "weibo-misc", "forum"]
        self.official = {s.id for s in config.sources if s.authority == "official"}
        self.recent: list[int] = []
        self.mid = self.sid = 0

    def batch(self, count: int, start: datetime, days: float, end: datetime):
        rng = self.rng
        mentions, links, stories = [], [], []
        for _ in range(count):
            self.mid += 1
            mid = self.mid
            day = rng.random() * days
            hour = rng.choice((1, 7, 9, 10, 11, 14, 15, 16, 19, 20, 21, 22))
            when = start + timedelta(days=int(day), hours=hour, minutes=rng.random() * 60)
            if days < 1:
                when = start + timedelta(days=day)
            if when > end:
                when = end - timedelta(minutes=rng.random() * 600)
            title = "".join(rng.choices(WORDS, k=8))
            if rng.random() < 0.0001:
                title += "爆炸"
            if self.recent and rng.random() < 0.3:
                story = rng.choice(self.recent[-500:])
            else:
                self.sid += 1
                story = self.sid
                stories.append((story, title, mid, when, 1))
                self.recent.append(story)
                del self.recent[:-1000]
            kind = "message" if rng.random() < 0.02 else "article"
            source = rng.choice(self.sources)
            # official sources rarely publish negative items about their own district
            negative = rng.random() < (0.02 if source in self.official else 0.3)
            # who speaks, as analysis tells: official sources publish notices and a few
            # responses (通报, 回应), the others news and complaints
            if source in self.official:
                voice = "response" if rng.random() < 0.03 else "notice"
                negative = False
            else:
                voice = "complaint" if negative or rng.random() < 0.5 else "news"
            reply = "已答复" if kind == "message" and rng.random() < 0.98 else ""
            mentions.append((mid, source, f"http://gen.test/{mid}", kind, title, "".join(rng.choices(WORDS, k=30)),
                             "", "", when, when + timedelta(minutes=5), "", "[]", "", 1, reply, "", "", "", "",
                             "{}", when + timedelta(minutes=6), 0.5, negative,
                             rng.choice(self.places) if rng.random() < 0.6 else None, story, voice))
            if rng.random() < 0.4:
                links.append((mid, rng.choice(self.topics), "[]"))
        return mentions, links, stories


def generate(db: Database, config, n: int, days: float, gen: Generator, chunk: int = 50000) -> None:
    """n mentions over `days` days ending at END, written in big batches (COPY on
    PostgreSQL) with the rollup triggers off, as in a store that predates them."""
    from yuqing.storage import critical, rollups

    start = END - timedelta(days=days)
    # in time order, so stories are reprinted within days, as they are
    per = max(1, n // chunk)
    span = days / per
    postgres = db.engine.dialect.name == "postgresql"
    if not postgres:
        with db.engine.begin() as conn:
            rollups.drop_sqlite_triggers(conn)
            critical.drop_sqlite_triggers(conn)
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if postgres:
            cur.execute("SET session_replication_role = replica")
        written = 0
        for i in range(per):
            count = n // per + (1 if i < n % per else 0)
            mentions, links, stories = gen.batch(count, start + timedelta(days=span * i), span, END)
            written += count
            if postgres:
                for table, cols, rows in (("stories", "id, title, origin_mention_id, first_seen_at, copies", stories),
                                          ("mentions", ", ".join(MENTION_COLS), mentions),
                                          ("mention_topics", "mention_id, topic_id, matched", links)):
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            else:
                cur.executemany("INSERT INTO stories (id, title, origin_mention_id, first_seen_at, copies) "
                                "VALUES (?, ?, ?, ?, ?)", [(*r[:3], _lite(r[3]), r[4]) for r in stories])
                cur.executemany(f"INSERT INTO mentions ({', '.join(MENTION_COLS)}) VALUES "
                                f"({', '.join('?' * len(MENTION_COLS))})",
                                [tuple(_lite(v) for v in r) for r in mentions])
                cur.executemany("INSERT INTO mention_topics (mention_id, topic_id, matched) VALUES (?, ?, ?)", links)
            raw.commit()
            if per >= 20 and (i + 1) % (per // 10) == 0:
                print(f"  … {written:,d} 条", flush=True)
        if postgres:
            cur.execute("SET session_replication_role = DEFAULT")
        raw.commit()
    finally:
        raw.close()
    if not postgres:
        with db.engine.begin() as conn:
            rollups.install_sqlite_triggers(conn)
            critical.install_sqlite_triggers(conn)
    if postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT setval('mentions_id_seq', (SELECT max(id) FROM mentions))"))
            conn.execute(text("SELECT setval('stories_id_seq', (SELECT max(id) FROM stories))"))
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def replicate(db: Database, src_schema: str, copies: int, days: float) -> None:
    """PostgreSQL: the store as `copies` copies of the kept smallest store, each `days`
    earlier than the one before (ids offset), copied by the server — a store that is bigger
    because it is older, built in minutes rather than generated row by row. The rollups of
    the copies are the source's, shifted (they are the same mentions, shifted)."""
    shift = f"interval '{days * 86400:.0f} seconds'"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        cols = [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = :s AND table_name = 'mentions' "
            "ORDER BY ordinal_position"), {"s": src_schema})]
        mo = conn.scalar(text(f'SELECT max(id) FROM "{src_schema}".mentions'))
        so = conn.scalar(text(f'SELECT max(id) FROM "{src_schema}".stories'))
        # indexes built once at the end (sorted) instead of maintained row by row
        indexes = conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('mentions', 'mention_topics', 'stories', 'mention_rollups') "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)")).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
        conn.execute(text("SET session_replication_role = replica"))
        for k in range(copies):
            exprs = []
            for c in cols:
                if c == "id":
                    exprs.append(f"id + {k * mo}")
                elif c == "url":
                    exprs.append(f"url || '#{k}'")
                elif c in ("published_at", "fetched_at", "analysed_at", "reply_at"):
                    exprs.append(f"{c} - {k} * {shift}")
                elif c == "story_id":
                    exprs.append(f"story_id + {k * so}")
                elif c == "parent_id":
                    exprs.append(f"parent_id + {k * mo}")
                else:
                    exprs.append(c)
            conn.execute(text(f'INSERT INTO stories (id, title, origin_mention_id, first_seen_at, copies) '
                              f'SELECT id + {k * so}, title, origin_mention_id + {k * mo}, first_seen_at - {k} * {shift}, '
                              f'copies FROM "{src_schema}".stories'))
            conn.execute(text(f'INSERT INTO mentions ({", ".join(cols)}) SELECT {", ".join(exprs)} '
                              f'FROM "{src_schema}".mentions'))
            conn.execute(text(f'INSERT INTO mention_topics (mention_id, topic_id, matched) '
                              f'SELECT mention_id + {k * mo}, topic_id, matched FROM "{src_schema}".mention_topics'))
            conn.execute(text(f'INSERT INTO mention_rollups SELECT hour - {k} * {shift}, topic_id, place_id, source_id, '
                              f'gap, items, stories FROM "{src_schema}".mention_rollups'))
            print(f"  … 第 {k + 1}/{copies} 份", flush=True)
        conn.execute(text("SET session_replication_role = DEFAULT"))
        conn.execute(text("SET maintenance_work_mem = '256MB'"))
        for _, definition in indexes:
            conn.execute(text(definition))
        conn.execute(text("SELECT setval('mentions_id_seq', (SELECT max(id) FROM mentions))"))
        conn.execute(text("SELECT setval('stories_id_seq', (SELECT max(id) FROM stories))"))
        conn.execute(text("VACUUM ANALYZE"))


def _lite(v):
    """SQLite stores timestamps as naive UTC text (storage.types.AwareDateTime)."""
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
    return v


def arrivals(db: Database, gen: Generator, count: int, lo: datetime, hi: datetime) -> None:
    """A poll's worth of newly analysed mentions, through the ORM as analysis writes them
    (the rollup triggers queue them)."""
    mentions, links, stories = gen.batch(count, lo, (hi - lo) / timedelta(days=1), hi)
    with db.session() as s:
        for sid, title, origin, when, copies in stories:
            s.add(Story(id=sid, title=title, origin_mention_id=origin, first_seen_at=when, copies=copies))
        s.flush()
        for row in mentions:
            values = dict(zip(MENTION_COLS, row))
            values["attachments"], values["details"] = [], {}
            s.add(Mention(**values))
        s.flush()
        for mid, topic, _ in links:
            s.add(MentionTopic(mention_id=mid, topic_id=topic, matched=[]))


def cycle_times(db: Database, config, rounds: int, gen: Generator | None = None, per_poll: int = 0
                ) -> tuple[float, float, int]:
    started = time.perf_counter()
    first = detect(db, config, END)
    first_s = time.perf_counter() - started
    steady = []
    for i in range(rounds):
        at = END + POLL * (i + 1)
        if gen is not None and per_poll:
            arrivals(db, gen, per_poll, at - POLL, at)
        started = time.perf_counter()
        detect(db, config, at)
        steady.append(time.perf_counter() - started)
    return first_s, statistics.median(steady), first.opened


def sqlite_store(tmp: Path, n: int):
    url = f"sqlite:///{tmp / f'detect_{n}.db'}"
    return url, lambda: [p.unlink() for p in tmp.glob(f"detect_{n}.db*")]


def postgres_store(base: str, n: int, keep: str | None = None):
    """A fresh schema, dropped afterwards; with `keep`, the schema <keep>_<n> is kept (and
    reused by the next run with the same name: no generation)."""
    schema = f"{keep}_{n}" if keep else f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop():
        if not keep:        # named stores are dropped by main() once every size has run
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


def run(backend: str, sizes: list[int], rate: float | None, rounds: int, tmp: Path, pg_url: str, config,
        befores: list[tuple[str, Path]], keep: str | None = None, topics: list[str] | None = None,
        replicate_from: bool = False) -> list[dict]:
    from yuqing.storage.rollups import MentionRollup, catch_up, rebuild

    results = []
    for n in sizes:
        days = n / rate if rate else DAYS
        url, drop = sqlite_store(tmp, n) if backend == "sqlite" else postgres_store(pg_url, n, keep)
        db = Database(url)
        try:
            db.migrate()
            gen = Generator(config, topics=topics)
            with db.session() as s:
                have = s.scalar(select(func.max(Mention.id))) or 0
                gen.sid = s.scalar(select(func.max(Story.id))) or 0
            gen_s = roll_s = 0.0
            copied = replicate_from and n > sizes[0] and n % sizes[0] == 0 and backend == "postgres"
            if have:
                gen.mid = have          # a kept store: its mentions stay, new arrivals follow them
                reset_warnings(db)
            else:
                started = time.perf_counter()
                if copied:
                    replicate(db, f"{keep}_{sizes[0]}", n // sizes[0], sizes[0] / rate if rate else DAYS)
                else:
                    generate(db, config, n, days, gen)
                gen_s = time.perf_counter() - started
            if have:
                catch_up(db.engine)     # a kept store: its rollups follow it already
                with db.session() as s:
                    cells = s.scalar(select(func.count()).select_from(MentionRollup))
            elif not copied:
                started = time.perf_counter()
                _, cells = rebuild(db.engine)
                with db.engine.begin() as conn:     # nothing else writes: the rebuild covers the queue
                    conn.execute(text("DELETE FROM rollup_queue"))
                    # the store was analysed before its rollups existed (autovacuum may be off):
                    # planned as an empty table, the baseline's grouping sorted on disk
                    conn.execute(text("ANALYZE mention_rollups"))
                roll_s = time.perf_counter() - started
            else:
                with db.session() as s:
                    cells = s.scalar(select(func.count()).select_from(MentionRollup))
            with db.session() as s:
                gen.mid = s.scalar(select(func.max(Mention.id))) or 0
                gen.sid = s.scalar(select(func.max(Story.id))) or 0
            with db.session() as s:
                negative = s.scalar(select(func.count()).select_from(Mention).where(Mention.negative.is_(True)))
                recent = s.scalar(select(func.count()).select_from(MentionRollup)
                                  .where(MentionRollup.hour > END - timedelta(days=15)))
            old = {}
            for rev, root in befores:
                old[rev] = before_times(root, url, rounds)
                reset_warnings(db)
            per_poll = round(n / days * (POLL / timedelta(days=1)))
            first_s, steady_s, opened = cycle_times(db, config, rounds, gen, per_poll)
            row = {"backend": backend, "n": n, "days": days, "gen_s": gen_s, "roll_s": roll_s, "cells": cells,
                   "recent_cells": recent, "negative": negative, "first_s": first_s, "steady_s": steady_s,
                   "opened": opened, "before": old}
            results.append(row)
            vs = "".join(f"  修改前({rev}) {o[1]:6.3f}s（现/前 ×{steady_s / o[1]:.2f}）" for rev, o in old.items())
            print(f"{backend:8s} {n:>10,d} 条（{days:.0f} 天，负面 {negative:,d}）  生成 {gen_s:6.1f}s  "
                  f"建汇总 {roll_s:6.1f}s（{cells:,d} 行，近15天 {recent:,d} 行）  首轮 {first_s:6.2f}s（开启 {opened} 条预警）"
                  f"  稳定周期 {steady_s:6.3f}s（每轮新到 {per_poll} 条）{vs}", flush=True)
        finally:
            db.dispose()
            drop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small stores (10k, 100k), SQLite only")
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--rate", type=float, help="mentions per day (default: the smallest size over 28 days)")
    parser.add_argument("--dense", action="store_true", help="every size over 28 days")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("YUQING_TEST_POSTGRES", POSTGRES_DEFAULT))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sqlite", action="store_true", help="SQLite as well")
    parser.add_argument("--keep", help="directory for the SQLite files (default: a temp dir)")
    parser.add_argument("--generate-all", action="store_true",
                        help="PostgreSQL: generate every size row by row (default: the larger stores are copies "
                             "of the smallest, further back in time — minutes instead of hours)")
    parser.add_argument("--keep-schema", help="PostgreSQL: keep the stores as schemas <NAME>_<size> and "
                        "reuse them on the next run (no generation)")
    parser.add_argument("--before", default=BEFORE_DEFAULT,
                        help="revisions whose detection to compare with on the same store ('none': skip)")
    args = parser.parse_args(argv)
    sizes = [10000, 100000] if args.quick else [int(x) for x in args.sizes.split(",")]
    rate = None if args.dense else (args.rate or min(sizes) / DAYS)
    config = load_config("default")
    backends = []
    if not args.quick and not args.no_postgres:
        if postgres_reachable(args.postgres):
            backends.append("postgres")
        else:
            print(f"PostgreSQL 不可达（{args.postgres}），只测 SQLite")
    if args.quick or args.sqlite or not backends:
        backends.insert(0, "sqlite")
    layout = "每个规模都在 28 天内" if rate is None else f"每天 {rate:,.0f} 条，规模越大历史越长"
    print(f"检测周期耗时：{layout}；nproc={os.cpu_count()}，{datetime.now():%Y-%m-%d}")
    results = []
    # the larger stores copy the smallest one's schema: name them all, drop them at the end
    keep = args.keep_schema or f"bench_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        befores = []
        if args.before != "none" and not args.quick:
            for rev in args.before.split(","):
                root = before_tree(rev, Path(tmp))
                if root is not None:
                    befores.append((rev, root))
        # topics every compared revision knows (its detection routes by its own config)
        topics = [t.id for t in config.topics]
        for rev, root in befores:
            known = set(re.findall(r"^\s*- \{?id: ([\w-]+)", (root / "yuqing/config/default/topics.yaml").read_text(),
                                   re.M))
            topics = [t for t in topics if t in known]
        if len(topics) < len(config.topics):
            print(f"生成的数据只用各修订都有的 {len(topics)} 个主题：{'、'.join(topics)}")
        for backend in backends:
            results += run(backend, sizes, rate, args.rounds, Path(tmp), args.postgres, config, befores,
                           keep, topics, not args.generate_all)
    if not args.keep_schema and "postgres" in backends:
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for n in sizes:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{keep}_{n}" CASCADE'))
        admin.dispose()
    revs = [rev for rev, _ in befores]
    print("\n后端       条数         天数   稳定周期(s)  相对最小规模  首轮(s)  "
          + "  ".join(f"{rev}前(s) 现/前" for rev in revs))
    for backend in backends:
        rows = [r for r in results if r["backend"] == backend]
        base = rows[0]["steady_s"]
        for r in rows:
            vs = "  ".join(f"{r['before'][rev][1]:10.3f} ×{r['steady_s'] / r['before'][rev][1]:4.2f}"
                           if rev in r["before"] else "         —    " for rev in revs)
            print(f"{backend:8s} {r['n']:>11,d}  {r['days']:6.0f}   {r['steady_s']:10.3f}   ×{r['steady_s'] / base:5.2f}"
                  f"      {r['first_s']:7.2f}  {vs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

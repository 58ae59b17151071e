"""Crawl throughput with 1, 2 and 4 `yuqing worker crawl` processes sharing Redis.

    python bench/bench_workers.py [--quick] [--sites 20] [--articles 40] [--workers 1,2,4]
                                  [--kills 3]

Twenty loopback sites (bench_crawl's generator server: 20 links per list page, ~30 KB
articles, 150 ± 50 ms per response), the shipped politeness (crawl: defaults — 0.5 s delay per
worker, 2 requests in flight per site across all workers, AutoThrottle). Each run gets a fresh
database (PostgreSQL when YUQING_BENCH_POSTGRES or YUQING_TEST_POSTGRES is set, else SQLite)
and a fresh Redis prefix. The workers are started with every source held back (its "due" key
set, as after a crawl) and the sources fall due together once every worker is crawling, as in a
deployment where workers run all the time; they are stopped when everything is stored and
nothing is queued or in flight. Throughput is pages served between the first and the last
request the sites saw; the ratio to the one-worker run of the same invocation is the figure to
compare. CPU per page and cores used count the crawl alone: from the sources falling due until
everything is stored (start-up and stopping are printed apart, per worker, in CPU-seconds).

--timeline FILE names each worker in its User-Agent, logs every request the sites saw (arrival,
answer, site, path, worker) and prints per worker its share and the gap between its requests to
one site, per site the mean requests in flight, and the pages served in each second.

Then the kill check: 3 workers, `--kills` of them killed with SIGKILL at random points (each
replaced), and the stored URLs compared with what was served: none lost, none twice.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_crawl  # noqa: E402
from yuqing.config.loader import DEFAULT_DIR  # noqa: E402

REDIS = os.environ.get("YUQING_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES = os.environ.get("YUQING_BENCH_POSTGRES") or os.environ.get("YUQING_TEST_POSTGRES")


def fresh_database(workdir: Path):
    """(url, drop) for an empty migrated database."""
    from sqlalchemy import create_engine, text

    from yuqing.storage.db import Database

    if POSTGRES:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}{'&' if '?' in POSTGRES else '?'}options=-csearch_path%3D{schema}"

        def drop():
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        url = f"sqlite:///{workdir / f'{uuid.uuid4().hex[:8]}.db'}"

        def drop():
            pass
    db = Database(url)
    db.migrate()
    db.dispose()
    return url, drop


def write_config(servers, articles: int, workdir: Path, name: str = "cfg", agent: str = "") -> str:
    """The sources config; `agent` (for --timeline) names the worker in its User-Agent, with the
    shipped settings otherwise."""
    pages = (articles + bench_crawl.PER_LIST - 1) // bench_crawl.PER_LIST
    cfg = workdir / name
    cfg.mkdir(exist_ok=True)
    (cfg / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    if agent:
        shipped = (Path(DEFAULT_DIR) / "settings.yaml").read_text(encoding="utf-8")
        (cfg / "settings.yaml").write_text(f"{shipped}\ncrawl:\n  user_agent: {agent}\n", encoding="utf-8")
    (cfg / "sources.yaml").write_text("sources:\n" + "".join(
        f"  - id: site{s.site}\n    name: 测速站点{s.site}\n    kind: site\n"
        f"    urls: [\"http://{s.server_address[0]}:{s.server_address[1]}/col/index.html\"]\n"
        f"    allow_private: true\n    max_pages: {pages}\n" for s in servers), encoding="utf-8")
    return str(cfg)


class Timing:
    """Wraps the generator servers' handler to note when the first and last pages were served,
    and (for --timeline) every request: arrival, answer, site, path and the worker's User-Agent."""

    def __init__(self, servers):
        self.first = self.last = None
        self.log: list[tuple[float, float, str, str, str]] = []
        original = bench_crawl._Handler.do_GET
        timing = self

        def do_get(handler):
            began = time.perf_counter()
            original(handler)
            at = time.perf_counter()
            timing.log.append((began, at, handler.server.server_address[0], handler.path,
                               handler.headers.get("User-Agent", "").split(" ", 1)[0]))
            timing.first = timing.first or at
            timing.last = at

        bench_crawl._Handler.do_GET = do_get

    def reset(self):
        self.first = self.last = None
        self.log = []


def start(config: str, url: str, prefix: str, idle_exit: float = 2) -> subprocess.Popen:
    env = {**os.environ, "YUQING_DATABASE_URL": url, "YUQING_REDIS_PREFIX": prefix,
           "YUQING_WORKER_LEASE": "3"}
    return subprocess.Popen([sys.executable, "-m", "yuqing.app.cli", "--config", config, "worker",
                             "crawl", "--redis", REDIS, "--idle-exit", str(idle_exit)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait(procs) -> None:
    for proc in procs:
        _out, err = proc.communicate(timeout=1800)
        if proc.returncode not in (0, -9):
            raise SystemExit(f"worker failed ({proc.returncode}): {err[-2000:]}")


def stored_urls(url: str) -> list[str]:
    from sqlalchemy import select

    from yuqing.storage.db import Database
    from yuqing.storage.models import Mention

    db = Database(url)
    try:
        with db.session() as s:
            return list(s.scalars(select(Mention.url)))
    finally:
        db.dispose()


def cleanup(prefix: str) -> None:
    import redis

    server = redis.Redis.from_url(REDIS)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(workers: int, servers, config, workdir: Path, timing: Timing) -> dict:
    """One crawl by `workers` processes, as a deployment runs it: the workers are up (every
    source's crawler open) before the sources fall due, so the window measures crawling, not
    how fast N processes import Scrapy on two cores. The sources are held back by their "due"
    keys — the key a worker sets after seeding a source, for the source's interval — and
    released together once every worker says it is crawling.

    CPU is read per worker from /proc at three moments: when the sources fall due (start-up),
    when everything is stored and nothing is queued or in flight (the crawl), and at exit
    (stopping: each spider's close and run record). Only the crawl's share counts per page."""
    import redis

    url, drop = fresh_database(workdir)
    prefix = f"yqbench-{uuid.uuid4().hex[:8]}"
    server = redis.Redis.from_url(REDIS)
    due = [f"{prefix}:due:site{s.site}" for s in servers]
    for key in due:
        server.set(key, "bench", ex=600)
    for s in servers:
        s.served = 0
    timing.reset()
    try:
        configs = config if isinstance(config, list) else [config] * workers
        # workers that are up first must not give up while the others start: they are stopped
        # (SIGTERM) once everything is stored and nothing is queued or in flight
        total_before = children_cpu()
        procs = [start(configs[k], url, prefix, idle_exit=0) for k in range(workers)]
        deadline = time.monotonic() + 300
        while sum(server.get(k) == b"crawling" for k in server.scan_iter(f"{prefix}:worker:*")) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                wait(procs)
                raise SystemExit("workers did not start")
            time.sleep(0.05)
        startup = sum(process_cpu(p.pid) for p in procs)
        began = time.perf_counter()
        server.delete(*due)
        expected = len(servers) * (len(servers) and servers[0].articles)
        while (len(stored_urls(url)) < expected
               or any(server.zcard(k) for k in server.scan_iter(f"{prefix}:*:requests"))
               or any(server.hlen(k) for k in server.scan_iter(f"{prefix}:*:requests:inflight"))):
            if any(p.poll() is not None for p in procs):
                break
            time.sleep(0.2)
        crawled = sum(process_cpu(p.pid) for p in procs if p.poll() is None) - startup
        wall = time.perf_counter() - began
        for p in procs:
            p.terminate()
        wait(procs)
        total = children_cpu() - total_before
        return {"served": sum(s.served for s in servers), "seconds": timing.last - timing.first,
                "stored": len(stored_urls(url)), "cpu": crawled, "wall": wall,
                "startup": startup / workers, "stopping": (total - startup - crawled) / workers}
    finally:
        cleanup(prefix)
        drop()


def timeline(log, path: Path, workers: int) -> str:
    """Write every request (seconds from the first: arrival, answer, site, path, worker) to
    `path` and summarise where the time went."""
    import statistics
    from collections import defaultdict

    log = sorted(log)
    t0 = log[0][0]
    with path.open("a", encoding="utf-8") as out:
        out.write(f"# {workers} workers\n")
        out.writelines(f"{a - t0:.3f}\t{b - t0:.3f}\t{site}\t{p}\t{who}\n" for a, b, site, p, who in log)
    end = max(b for _a, b, *_ in log) - t0
    lines = []
    by_worker = defaultdict(list)
    for a, b, site, p, who in log:
        by_worker[who].append((a - t0, b - t0, site, p))
    for who, reqs in sorted(by_worker.items()):
        gaps = defaultdict(list)
        last = {}
        for a, _b, site, _p in reqs:
            if site in last:
                gaps[site].append(a - last[site])
            last[site] = a
        flat = [g for v in gaps.values() for g in v]
        lines.append(f"  {who}: {len(reqs)} requests, first at {reqs[0][0]:.1f} s, last at {reqs[-1][1]:.1f} s; "
                     f"same-site gap median {statistics.median(flat) if flat else 0:.2f} s, "
                     f"min {min(flat) if flat else 0:.2f} s")
    sites = defaultdict(list)
    for a, b, site, _p, _who in log:
        sites[site].append((a - t0, b - t0))
    busy = [sum(b - a for a, b in v) / (max(b for _a, b in v) - min(a for a, _b in v)) for v in sites.values()]
    spans = [max(b for _a, b in v) - min(a for a, _b in v) for v in sites.values()]
    peak = 0
    for v in sites.values():
        events = sorted([(a, 1) for a, _b in v] + [(b, -1) for _a, b in v])
        now = 0
        for _t, d in events:
            now += d
            peak = max(peak, now)
    lines.append(f"  sites: mean requests in flight over each site's own span {statistics.mean(busy):.2f} "
                 f"(limit {2}), span {min(spans):.1f}–{max(spans):.1f} s of {end:.1f} s, peak in flight at one site {peak}")
    per_second = [0] * (int(end) + 1)
    for _a, b, *_ in log:
        per_second[int(b - t0)] += 1
    lines.append("  pages per second: " + " ".join(str(c) for c in per_second))
    return "\n".join(lines)


def kill_check(kills: int, servers, config: str, workdir: Path, expected: int, seed: int) -> str:
    url, drop = fresh_database(workdir)
    prefix = f"yqbench-{uuid.uuid4().hex[:8]}"
    rng = random.Random(seed)
    try:
        procs = [start(config, url, prefix) for _ in range(3)]
        for target in sorted(rng.randint(10, expected - 10) for _ in range(kills)):
            while len(stored_urls(url)) < target:
                time.sleep(0.05)
            rng.choice([p for p in procs if p.poll() is None]).kill()
            procs.append(start(config, url, prefix))
        wait(procs)
        urls = stored_urls(url)
        return (f"{kills} kills: {len(urls)} stored of {expected} expected, "
                f"{len(urls) - len(set(urls))} twice, {expected - len(set(urls))} lost")
    finally:
        cleanup(prefix)
        drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 sites x 20 articles, workers 1,2")
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--articles", type=int, default=40, help="articles per site")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--timeline", type=Path, help="log every request here (each worker named in its "
                        "User-Agent) and summarise per worker and per site")
    args = parser.parse_args(argv)
    if args.quick:
        args.sites, args.articles, args.workers, args.kills = 8, 20, "1,2", 1
    try:
        import redis

        redis.Redis.from_url(REDIS).ping()
    except Exception as exc:  # noqa: BLE001
        print(f"skipped: Redis not reachable at {REDIS} ({exc})")
        return 0
    bench_crawl.GeneratorServer.handle_error = lambda *_a: None   # killed workers reset connections
    servers = bench_crawl.start_servers(args.sites, args.articles, 0.15, 0.05)
    timing = Timing(servers)
    counts = [int(n) for n in args.workers.split(",")]
    print(f"{args.sites} sites x {args.articles} articles, 150 ± 50 ms per response; shipped politeness; "
          f"nproc {os.cpu_count()}; database {'PostgreSQL' if POSTGRES else 'SQLite'}")
    print(f"{'workers':>8}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'stored':>8}{'ratio':>8}"
          f"{'CPU ms/page':>13}{'cores used':>12}{'start-up':>10}{'stopping':>10}{'load avg':>10}")
    base = None
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(servers, args.articles, Path(tmp))
        for n in counts:
            configs = ([write_config(servers, args.articles, Path(tmp), f"cfg-w{k}", f"bench-w{k}")
                        for k in range(1, n + 1)] if args.timeline else config)
            r = run(n, servers, configs, Path(tmp), timing)
            rate = r["served"] / r["seconds"]
            base = base or rate
            # CPU of the worker processes per page while crawling (from the sources falling due
            # until everything is stored), how many cores they kept busy meanwhile (on a shared
            # machine, the share they could get), and per worker the CPU-seconds of start-up
            # (imports, one crawler per source) and of stopping (closing the spiders)
            print(f"{n:>8}{r['served']:>8}{r['seconds']:>10.1f}{rate:>10.1f}{r['stored']:>8}{rate / base:>7.2f}x"
                  f"{1000 * r['cpu'] / r['served']:>13.1f}{r['cpu'] / r['wall']:>12.2f}"
                  f"{r['startup']:>9.1f}s{r['stopping']:>9.1f}s{os.getloadavg()[0]:>10.1f}", flush=True)
            if args.timeline:
                print(timeline(timing.log, args.timeline, n), flush=True)
        if args.kills:
            print(kill_check(args.kills, servers, config, Path(tmp), args.sites * args.articles, args.seed))
    for srv in servers:
        srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

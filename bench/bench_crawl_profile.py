"""One crawler process against its two limits, and where its time goes.

    python bench/bench_crawl_profile.py [--quick] [--sites 10] [--articles 60]

At equal politeness — one request in flight per site, no delay, no AutoThrottle — a single
crawler cannot beat the lower of:
  * the network limit: sites × 1 / latency (150 ms ± 50 ms per response here);
  * its CPU limit: pages per second that extraction and storing alone reach on one core
    (the same article and list pages, parsed and written to SQLite in a loop, no network).
The bench measures both in this run, then the real crawl (child process, Scrapy, SQLite) and
prints crawl / min(limits). Finally the same crawl under cProfile, with its CPU time grouped by
where it is spent (extraction, store and SQLAlchemy, Scrapy and Twisted, asyncio, …).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_crawl  # noqa: E402

EQUAL = dict(download_delay="0s", concurrency_per_domain=1, autothrottle=False)
GROUPS = [("start-up (imports, module code)", ("<frozen importlib", "<module>")),
          ("extraction (crawlers/extract, lxml)", ("yuqing/crawlers/extract", "/crawlers/extract/", "lxml")),
          ("store (crawlers/store, SQLAlchemy, sqlite3)", ("crawlers/store", "sqlalchemy", "sqlite3")),
          ("Scrapy", ("scrapy/",)),
          ("Twisted", ("twisted/",)),
          ("asyncio and selectors", ("asyncio/", "selectors")),
          ("spiders and middlewares (ours)", ("crawlers/spiders", "crawlers/middlewares", "crawlers/pipelines",
                                              "crawlers/urls", "crawlers/text")),
          ("URL and header parsing (w3lib, urllib)", ("w3lib", "urllib", "parse.py"))]


def cpu_limit(n: int) -> float:
    """Pages per CPU-second for extract + store alone (one list page per 20 articles)."""
    from yuqing.crawlers.extract import extract_article, extract_links
    from yuqing.crawlers.items import MentionItem
    from yuqing.crawlers.store import CrawlStore
    from yuqing.storage.db import Database
    from yuqing.timeutil import now

    pages = [bench_crawl.article_page(99, k) for k in range(n)]
    lists = [bench_crawl.list_page(99, k, n) for k in range(max(n // bench_crawl.PER_LIST, 1))]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/cpu.db")
        db.migrate()
        store = CrawlStore(db, "cpu", "cpu", "site")
        started = time.process_time()
        for k, body in enumerate(lists):
            links = extract_links(body, f"http://127.0.0.99/col/index_{k}.html", "ul.list li a")
            store.known([link.url for link in links])
        for k, body in enumerate(pages):
            url = f"http://127.0.0.99/art/{k}.html"
            article = extract_article(body, url, now())
            store.save(MentionItem(source_id="cpu", url=url, kind="article", title=article.title,
                                   content=article.content, published_at=article.published_at,
                                   fetched_at=now()))
        spent = time.process_time() - started
        db.dispose()
    return (len(pages) + len(lists)) / spent


def crawl(servers, articles: int, workdir: Path, profile: Path | None) -> dict:
    from yuqing.crawlers.politeness import CrawlSettings, to_json
    from yuqing.storage.db import Database
    import json

    pages = (articles + bench_crawl.PER_LIST - 1) // bench_crawl.PER_LIST
    cfg = workdir / f"cfg{'p' if profile else ''}"
    cfg.mkdir()
    from yuqing.config.loader import DEFAULT_DIR

    (cfg / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    (cfg / "sources.yaml").write_text("sources:\n" + "".join(
        f"  - id: site{s.site}\n    name: 测速站点{s.site}\n    kind: site\n"
        f"    urls: [\"http://{s.server_address[0]}:{s.server_address[1]}/col/index.html\"]\n"
        f"    allow_private: true\n    max_pages: {pages}\n" for s in servers), encoding="utf-8")
    url = f"sqlite:///{workdir / ('p.db' if profile else 'c.db')}"
    Database(url).migrate()
    for s in servers:
        s.served = 0
    log: list[tuple[float, float, str, float]] = []      # began, answered, site, child CPU then
    original = bench_crawl._Handler.do_GET
    child: list[int] = []

    def timed(handler):
        began = time.perf_counter()
        original(handler)
        if handler.path != "/robots.txt":
            log.append((began, time.perf_counter(), handler.server.server_address[0],
                        process_cpu(child[0]) if child else 0.0))

    bench_crawl._Handler.do_GET = timed
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "yuqing.crawlers.runner", "--config", str(cfg), "--database", url,
            "--crawl-settings", json.dumps(to_json(CrawlSettings(**EQUAL)))]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    child.append(proc.pid)
    if proc.wait():
        raise SystemExit(f"crawl failed ({proc.returncode})")
    bench_crawl._Handler.do_GET = original
    log.sort(key=lambda r: r[1])
    # the crawl proper: from the first page answered to the last (start-up and the run records
    # written at the end left out), and the child's CPU over the same span
    window = log[-1][1] - log[0][1]
    return {"served": sum(s.served for s in servers), "seconds": window,
            "cpu": log[-1][3] - log[0][3], "peak": peak_in_flight(log)}


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_in_flight(log) -> int:
    """The most requests one site ever had in flight: the politeness the crawl claims to keep."""
    sites: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for began, answered, site, _cpu in log:
        sites[site] += [(began, 1), (answered, -1)]
    peak = 0
    for events in sites.values():
        now = 0
        for _t, step in sorted(events, key=lambda e: (e[0], e[1])):
            now += step
            peak = max(peak, now)
    return peak


def _group(filename: str, name: str) -> str:
    for group, needles in GROUPS:
        if any(n in filename or n == name for n in needles):
            return group
    return "other"


def grouped(profile: Path) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Share of own time per group, and the functions that fill "other".

    A built-in (a regex, a dict lookup, sqlite3's execute) is charged to the group of the code
    that called it, in proportion to the time spent in it from each caller: `re.sub` called
    by the extraction is extraction. Time blocked in epoll is waiting for the network, not CPU."""
    stats = pstats.Stats(str(profile), stream=io.StringIO())
    total = 0.0
    spent: dict[str, float] = defaultdict(float)
    others: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, callers) in stats.stats.items():
        total += tottime
        if name == "<method 'poll' of 'select.epoll' objects>":
            spent["waiting in epoll (idle)"] += tottime
            continue
        group = _group(filename, name)
        if filename == "~" and callers:
            by_caller = [(_group(cf, cn) if cf != "~" else "other", c[2]) for (cf, _l, cn), c in callers.items()]
            known = sum(t for _g, t in by_caller) or 1.0
            for caller_group, t in by_caller:
                spent[caller_group] += tottime * t / known
                if caller_group == "other":
                    others[name] += tottime * t / known
            continue
        spent[group] += tottime
        if group == "other":
            others[f"{Path(filename).name}:{name}"] += tottime
    top = sorted(others.items(), key=lambda x: -x[1])[:6]
    return (sorted(((g, t / total) for g, t in spent.items()), key=lambda x: -x[1]),
            [(n, t / total) for n, t in top])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 sites x 30 articles")
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args(argv)
    if args.quick:
        args.sites, args.articles = 4, 30
    latency = 0.15
    servers = bench_crawl.start_servers(args.sites, args.articles, latency, 0.05)
    network = args.sites / latency
    cpu = cpu_limit(300 if not args.quick else 100)
    with tempfile.TemporaryDirectory() as tmp:
        run = crawl(servers, args.articles, Path(tmp), None)
        rate = run["served"] / run["seconds"]
        profile = Path(tmp) / "crawl.prof"
        crawl(servers, args.articles, Path(tmp), profile)
        groups, others = grouped(profile)
    limit = min(network, cpu)
    print(f"{args.sites} sites x {args.articles} articles, 150 ± 50 ms; 1 request in flight per site, no delay; "
          f"nproc {os.cpu_count()}")
    print(f"network limit (sites / latency)          {network:8.1f} pages/s")
    print(f"CPU limit (extract + store on one core)  {cpu:8.1f} pages/s")
    print(f"one crawler process                      {rate:8.1f} pages/s  ({run['served']} pages in "
          f"{run['seconds']:.1f} s; at most {run['peak']} in flight to a site)")
    print(f"crawl / min(limits): {rate / limit:.2f}   (the lower limit is the "
          f"{'network' if network < cpu else 'CPU'})")
    per_page = run["cpu"] / run["served"]
    cores = run["cpu"] / run["seconds"]
    print(f"the whole crawler (Scrapy included) while crawling: {1000 * per_page:.1f} ms CPU per page = "
          f"{1 / per_page:.0f} pages per CPU-second; it got {cores:.2f} of a core (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    got = cores / per_page
    print(f"so the CPU it got allowed ~{got:.0f} pages/s; a whole core {1 / per_page:.0f}: crawl / min(network, "
          f"whole core) = {rate / min(network, 1 / per_page):.2f}")
    print("where the crawl's time goes (cProfile, wall clock, own time per group, built-ins charged to their callers):")
    for group, share in groups:
        print(f"  {group:48s} {share:6.1%}")
    print("  largest items in 'other': " + ", ".join(f"{n} {t:.1%}" for n, t in others))
    for srv in servers:
        srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the spiders of some sources once, in a child process.

Twisted's reactor cannot be restarted inside one process (ReactorNotRestartable), and a
scheduler must crawl again and again; so every crawl runs in a fresh child process, which
also lets the caller time out a hung crawl and kill it without harming anything else.
The child reports progress as JSON lines on stdout (crawlers/progress.py) and ends with one
summary line; each source's run is recorded as soon as its spider closes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Callable

from yuqing.channels import channel_for_source
from yuqing.config import load_config
from yuqing.config.models import Config, Source
from yuqing.crawlers.politeness import CrawlSettings, crawl_settings_of, scrapy_overrides, to_json
from yuqing.crawlers.progress import ProgressEvent, ProgressWriter, parse_progress

SUMMARY_MARK = "YUQING-CRAWL-SUMMARY "
CHILD_DATABASE = "YUQING_CHILD_DATABASE_URL"


@dataclass
class CrawlSummary:
    source_id: str
    name: str
    status: str
    items_seen: int = 0
    items_new: int = 0
    items_updated: int = 0
    items_failed: int = 0
    empty_bodies: int = 0
    errors: list[str] = field(default_factory=list)


class CrawlError(RuntimeError):
    pass


def select_sources(config: Config, source_ids: list[str] | None) -> list[Source]:
    known = {s.id: s for s in config.sources}
    unknown = [i for i in source_ids or [] if i not in known]
    if unknown:
        raise CrawlError(f"未知的信息源：{'、'.join(unknown)}（可用：{'、'.join(known)}）")
    if source_ids:
        return [known[i] for i in source_ids]
    return [s for s in config.sources if s.enabled]


def channel_of(source: Source) -> str:
    return source.channel or channel_for_source(source.kind, source.urls[0], source.authority)


def crawl_in_subprocess(config_dir: str, database_url: str, source_ids: list[str] | None = None,
                        timeout: float = 1800, crawl: CrawlSettings | None = None,
                        on_progress: Callable[[ProgressEvent], None] | None = None
                        ) -> list[CrawlSummary]:
    """Crawl in a child process; `crawl` overrides the config's politeness settings."""
    cmd = [sys.executable, "-m", "yuqing.crawlers.runner", "--config", config_dir,
           *(source_ids or [])]
    if crawl is not None:
        cmd[3:3] = ["--crawl-settings", json.dumps(to_json(crawl))]
    # the address (perhaps with a password) goes in the environment: any local user can read
    # a process's command line, only its owner its environment
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", env={**os.environ, CHILD_DATABASE: database_url})
    summary: list[str] = []
    started: dict[str, int] = {}
    stderr_tail: deque[str] = deque(maxlen=40)

    def read_stdout() -> None:
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith(SUMMARY_MARK):
                summary.append(line[len(SUMMARY_MARK):])
                continue
            event = parse_progress(line)
            if event is None:
                continue
            if event.event == "start" and event.run_id is not None:
                started[event.source] = event.run_id
            elif event.event == "done":
                started.pop(event.source, None)
            if on_progress is not None:
                on_progress(event)

    readers = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=lambda: stderr_tail.extend(proc.stderr), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.wait()
        reason = f"采集超过 {timeout:.0f} 秒仍未结束，已终止"
        _abandon(database_url, list(started.values()), reason)
        raise CrawlError(reason) from exc
    for reader in readers:
        reader.join(timeout=10)
    if summary:
        return [CrawlSummary(**row) for row in json.loads(summary[-1])]
    _abandon(database_url, list(started.values()),
             f"采集进程异常退出（返回码 {proc.returncode}）")
    raise CrawlError(f"采集进程异常退出（返回码 {proc.returncode}）："
                     f"{''.join(stderr_tail).strip()[-2000:]}")


def _abandon(database_url: str, run_ids: list[int], reason: str) -> None:
    if not run_ids:
        return
    from yuqing.crawlers.store import abandon_runs
    from yuqing.storage.db import open_database

    db = open_database(database_url)
    try:
        abandon_runs(db, run_ids, reason)
    finally:
        db.dispose()


def crawl_here(config: Config, database_url: str, source_ids: list[str] | None = None,
               crawl: CrawlSettings | None = None, progress: ProgressWriter | None = None
               ) -> list[CrawlSummary]:
    """Crawl in this process: call at most once per process (the reactor cannot restart)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from yuqing.crawlers import settings as crawl_settings
    from yuqing.crawlers.spiders.board import BoardSpider
    from yuqing.crawlers.spiders.feed import FeedSpider
    from yuqing.crawlers.spiders.site import SiteSpider
    from yuqing.crawlers.store import CrawlStore
    from yuqing.storage.db import open_database

    from yuqing.crawlers.spiders.liuyan import LiuyanSpider

    spiders = {"feed": FeedSpider, "site": SiteSpider, "board": BoardSpider,
               "liuyan": LiuyanSpider}
    sources = select_sources(config, source_ids)
    db = open_database(database_url)
    settings = Settings()
    settings.setmodule(crawl_settings)
    settings.setdict(scrapy_overrides(crawl or crawl_settings_of(config)), priority="project")
    process = CrawlerProcess(settings)
    summaries: dict[str, CrawlSummary] = {}
    stores = []

    def finished(source: Source, store: CrawlStore, fatal: str = "") -> None:
        run = store.close(fatal)
        summaries[source.id] = CrawlSummary(
            source_id=source.id, name=source.name, status=run.status,
            items_seen=run.items_seen, items_new=run.items_new,
            items_updated=run.items_updated, items_failed=run.items_failed,
            empty_bodies=run.empty_bodies, errors=run.errors)
        if progress is not None:
            progress.progress(source.id, store.stats, force=True)
            progress.done(source.id, asdict(summaries[source.id]))

    for source in sources:
        store = CrawlStore(db, source.id, source.name, source.kind, channel_of(source))
        stores.append((source, store))
        if progress is not None:
            progress.start(source.id, source.name, store.run_id)
            store.stats.on_change = (lambda sid=source.id, st=store.stats:
                                     progress.progress(sid, st))
        crawler = _crawler(process, settings, spiders[source.kind], source)

        def on_response(*_args, stats=store.stats, **_kw) -> None:
            stats.pages_fetched += 1
            stats.changed()

        crawler.signals.connect(on_response, signal=signals.response_received, weak=False)
        process.crawl(crawler, source=source, store=store,
                      on_closed=lambda src=source, st=store: finished(src, st))
    process.start()
    for source, store in stores:       # a spider that never opened still gets its run closed
        if source.id not in summaries:
            finished(source, store, "采集器未能启动")
    db.dispose()
    return [summaries[source.id] for source, _ in stores]


def _crawler(process, settings, spider_cls, source: Source):
    """A source may be slower than the crawl's delay: its own `delay`, or its kind's minimum
    (人民网领导留言板 challenges bursts)."""
    least = getattr(spider_cls, "min_delay", 0.0)
    delay = source.delay.total_seconds() if source.delay is not None else None
    if delay is None and least <= settings.getfloat("DOWNLOAD_DELAY"):
        return process.create_crawler(spider_cls)
    own = settings.copy()
    delay = delay if delay is not None else least
    own.set("DOWNLOAD_DELAY", delay, priority="cmdline")
    own.set("DOWNLOAD_DELAY_JITTER", 0.5 if delay > 0 else 0.0, priority="cmdline")
    if least:
        own.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1, priority="cmdline")
    own.set("AUTOTHROTTLE_START_DELAY", max(own.getfloat("AUTOTHROTTLE_START_DELAY"),
                                            own.getfloat("DOWNLOAD_DELAY")), priority="cmdline")
    # through the process, which installs the reactor with its first crawler
    shared, process.settings = process.settings, own
    try:
        return process.create_crawler(spider_cls)
    finally:
        process.settings = shared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yuqing.crawlers.runner")
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", default=os.environ.get(CHILD_DATABASE),
                        help=f"database URL (default: ${CHILD_DATABASE})")
    parser.add_argument("--crawl-settings", help="JSON of CrawlSettings overriding the config's")
    parser.add_argument("sources", nargs="*")
    args = parser.parse_args(argv)
    if not args.database:
        parser.error(f"--database or ${CHILD_DATABASE} is required")
    config = load_config(args.config)
    crawl = CrawlSettings(**json.loads(args.crawl_settings)) if args.crawl_settings else None
    summaries = crawl_here(config, args.database, args.sources or None, crawl, ProgressWriter())
    print(SUMMARY_MARK + json.dumps([asdict(s) for s in summaries], ensure_ascii=False),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the spiders of some sources once, in a child process.

Twisted's reactor cannot be restarted inside one process (ReactorNotRestartable), and a
scheduler must crawl again and again; so every crawl runs in a fresh child process, which
also lets the caller time out a hung crawl and kill it without harming anything else.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field

from config import load_config
from config.models import Config, Source

SUMMARY_MARK = "YUQING-CRAWL-SUMMARY "


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


def crawl_in_subprocess(config_dir: str, database_url: str, source_ids: list[str] | None = None,
                        timeout: float = 1800) -> list[CrawlSummary]:
    cmd = [sys.executable, "-m", "crawlers.runner", "--config", config_dir,
           "--database", database_url, *(source_ids or [])]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=os.environ.copy())
    except subprocess.TimeoutExpired as exc:
        raise CrawlError(f"采集超过 {timeout:.0f} 秒仍未结束，已终止") from exc
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(SUMMARY_MARK):
            return [CrawlSummary(**row) for row in json.loads(line[len(SUMMARY_MARK):])]
    raise CrawlError(f"采集进程异常退出（返回码 {proc.returncode}）：{proc.stderr.strip()[-2000:]}")


def crawl_here(config: Config, database_url: str, source_ids: list[str] | None = None
               ) -> list[CrawlSummary]:
    """Crawl in this process: call at most once per process (the reactor cannot restart)."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawlers import settings as crawl_settings
    from crawlers.spiders.board import BoardSpider
    from crawlers.spiders.feed import FeedSpider
    from crawlers.spiders.site import SiteSpider
    from crawlers.store import CrawlStore
    from storage.db import open_database

    spiders = {"feed": FeedSpider, "site": SiteSpider, "board": BoardSpider}
    sources = select_sources(config, source_ids)
    db = open_database(database_url)
    settings = Settings()
    settings.setmodule(crawl_settings)
    process = CrawlerProcess(settings)
    stores = []
    for source in sources:
        store = CrawlStore(db, source.id, source.name, source.kind)
        stores.append((source, store))
        process.crawl(spiders[source.kind], source=source, store=store)
    process.start()
    summaries = []
    for source, store in stores:
        run = store.close()
        summaries.append(CrawlSummary(
            source_id=source.id, name=source.name, status=run.status, items_seen=run.items_seen,
            items_new=run.items_new, items_updated=run.items_updated,
            items_failed=run.items_failed, empty_bodies=run.empty_bodies, errors=run.errors))
    db.dispose()
    return summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crawlers.runner")
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("sources", nargs="*")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    summaries = crawl_here(config, args.database, args.sources or None)
    print(SUMMARY_MARK + json.dumps([asdict(s) for s in summaries], ensure_ascii=False),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

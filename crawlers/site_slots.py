"""A site's limit on requests in flight, held where the request goes out (单机采集的站点并发上限).

Scrapy's downloader is meant to keep at most CONCURRENT_REQUESTS_PER_DOMAIN requests in flight
per site. Since 2.14 it starts each download as a separate asyncio task, and its queue loop
counts a request as transferring only once that task has run — after the loop has already
handed out every queued request. With no download delay, a site with a limit of one
got sixteen requests at once (measured against a local site: bench/bench_crawl_profile.py, and
tests/crawlers/test_politeness.py). With a delay the loop hands out one request per turn, so the
shipped settings (0.5 s) were not affected; a deployment with `download_delay: 0s` was.

So the limit is also held here, in the http/https download handler, which Scrapy calls when a
request really goes out: each transfer holds one of the site's `concurrency_per_domain` places
for as long as it lasts. Workers (`yuqing worker crawl`) use SharedSlotsHandler instead, which
holds the same places in Redis across processes.
"""

from __future__ import annotations

import asyncio

from yuqing.crawlers.urls import host_of


def inner_http_handler(crawler):
    """Scrapy's own HTTP(S) handler, which the handlers here wrap."""
    from scrapy.utils.misc import build_from_crawler, load_object

    return build_from_crawler(
        load_object(crawler.settings.getdict("DOWNLOAD_HANDLERS_BASE")["http"]), crawler)


class SiteSlotsHandler:
    """Scrapy's HTTP(S) download handler, with one of the site's places held per transfer."""

    lazy = False

    def __init__(self, crawler):
        self.inner = inner_http_handler(crawler)
        self.places = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1))
        self.sites: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def download_request(self, request):
        site = self.sites.setdefault(host_of(request.url), asyncio.Semaphore(self.places))
        async with site:
            return await self.inner.download_request(request)

    async def close(self) -> None:
        await self.inner.close()

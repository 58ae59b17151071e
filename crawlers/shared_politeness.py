"""Per-site politeness across crawler workers (跨进程的礼貌限制).

Each site has `concurrency_per_domain` slots in Redis (`<prefix>:slot:<host>:<n>`). A request
takes a free slot (SET NX with an expiry) when it goes out on the network and gives it back when
its response or error comes in, so however many workers run, a site never has more requests in
flight than its limit. The expiry (download timeout + margin) frees the slots of a worker killed
mid-request. The delay between requests (`download_delay`) is each worker's own, by Scrapy.

Where the slot is taken matters. This is the download handler for http and https, so Scrapy
calls it only after the request has waited out the worker's own delay in Scrapy's per-site queue;
the slot is held for the transfer alone (about one response time). Taken earlier — a downloader
middleware, which runs before that queue — one worker held both of a site's slots while its
requests sat out its 0.5 s delay, and the other workers polled for them: a site got about one
worker's 2 requests per second however many workers ran (issue 18: 1.03× at 2 workers).

Scrapy counts the delay from the moment a request leaves its queue; a request that then waits
here for a slot could go out right behind the one before it. So one worker's requests to a site
pass this handler one at a time, each at least the delay's lower bound (delay × (1 − jitter))
after the previous one really went out, and Scrapy's clock is set to that moment.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from yuqing.crawlers.site_slots import inner_http_handler
from yuqing.crawlers.urls import host_of

POLL = 0.01          # seconds before trying again while a site's slots are all taken …
POLL_MAX = 0.05      # … doubling up to this (a slot is typically held ~ one response time)
# the first free one of the site's slots, taken with an expiry, in one round trip
_TAKE = """
for n, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then return n end
end
return 0
"""


class SharedSlotsHandler:
    """Scrapy's HTTP(S) download handler, with one of the site's shared slots held per transfer."""

    # built with the first request of its scheme: a worker runs a crawler per source, and one
    # that never fetches https need not build Scrapy's TLS-ready handler for it (issue 18)
    lazy = True

    def __init__(self, crawler):
        from scrapy_redis.connection import get_redis_from_settings

        from yuqing.crawlers.shared_queue import SharedScheduler

        settings = crawler.settings
        self.crawler = crawler
        self.inner = inner_http_handler(crawler)
        # the worker's one client (and its pool) rather than one per handler per source
        worker = SharedScheduler.worker
        self.server = worker.server if worker is not None else get_redis_from_settings(settings)
        self.prefix = settings.get("YUQING_REDIS_PREFIX", "yuqing")
        self.slots = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1)
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 20) + 5) * 1000)
        self.gates: dict[str, asyncio.Lock] = {}       # host -> one request at a time
        self.sent: dict[str, float] = {}                # host -> when the last one went out
        self._take_one = self.server.register_script(_TAKE)
        self._release = self.server.register_script(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _take(self, host: str) -> tuple[str, str]:
        token = uuid.uuid4().hex
        wait = POLL
        keys = [f"{self.prefix}:slot:{host}:{n}" for n in range(self.slots)]
        while True:
            taken = self._take_one(keys=keys, args=[token, self.lease_ms])
            if taken:
                return keys[taken - 1], token
            await asyncio.sleep(wait)
            wait = min(wait * 2, POLL_MAX)

    async def _go_out(self, request, host: str) -> tuple[str, str]:
        """Wait out this worker's delay since its last request to the site, then take a slot."""
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        async with self.gates.setdefault(host, asyncio.Lock()):
            if slot is not None and slot.delay:
                early = self.sent.get(host, 0.0) + slot.delay * (1 - min(slot.jitter, 1)) - time.monotonic()
                if early > 0:
                    await asyncio.sleep(early)
            held = await self._take(host)
            self.sent[host] = time.monotonic()
            if slot is not None:
                slot.lastseen = self.sent[host]     # Scrapy's clock for the delay (monotonic)
            return held

    async def download_request(self, request):
        key, token = await self._go_out(request, host_of(request.url))
        try:
            return await self.inner.download_request(request)
        finally:
            self._release(keys=[key], args=[token])

    async def close(self) -> None:
        await self.inner.close()

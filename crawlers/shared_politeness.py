"""Per-site politeness across crawler workers (跨进程的礼貌限制).

Each site has `concurrency_per_domain` slots in Redis (`<prefix>:slot:<host>:<n>`). A request
takes a free slot (SET NX with an expiry) before it goes out and gives it back when its response
or error comes in, so however many workers run, a site never has more requests in flight than
its limit. The expiry (download timeout + margin) frees the slots of a worker killed mid-request.
The delay between requests (`download_delay`) is each worker's own, by Scrapy.

This middleware runs before Scrapy's own per-site queue, so a request waiting here for a slot
is not yet in that queue: the worker therefore lets each source's crawler hold only as many
requests as one site may have in flight (distributed.worker_settings), or dozens of requests
would poll Redis for the same two slots.
"""

from __future__ import annotations

import asyncio
import uuid

from yuqing.crawlers.urls import host_of

POLL = 0.02          # seconds before trying again while a site's slots are all taken …
POLL_MAX = 0.2       # … doubling up to this


class SharedSlotsMiddleware:
    def __init__(self, crawler):
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        self.server = get_redis_from_settings(settings)
        self.prefix = settings.get("YUQING_REDIS_PREFIX", "yuqing")
        self.slots = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 1)
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 20) + 5) * 1000)
        self._release = self.server.register_script(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        host = host_of(request.url)
        token = uuid.uuid4().hex
        wait = POLL
        while True:
            for n in range(self.slots):
                key = f"{self.prefix}:slot:{host}:{n}"
                if self.server.set(key, token, nx=True, px=self.lease_ms):
                    request.meta["yq_slot"] = (key, token)
                    return None
            await asyncio.sleep(wait)
            wait = min(wait * 2, POLL_MAX)

    def _give_back(self, request) -> None:
        held = request.meta.pop("yq_slot", None)
        if held:
            self._release(keys=[held[0]], args=[held[1]])

    def process_response(self, request, response):
        self._give_back(request)
        return response

    def process_exception(self, request, exception):
        self._give_back(request)
        return None

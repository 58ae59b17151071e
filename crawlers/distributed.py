"""`yuqing worker crawl`: crawler workers on one or many machines, sharing Redis (scrapy-redis).

Every worker runs one spider per source. The spiders' requests go to a Redis queue per source
and pass one Redis duplicate filter per source (crawlers/shared_queue.py), so any worker may
fetch any request and none is fetched twice by design. A source is seeded — its list pages and
feeds put in the queue — by whichever worker first takes the source's "due" key for the
source's interval (SET NX with that expiry), so once per interval across all workers. Sites are
protected across workers by crawlers/shared_politeness.py. Each worker records, per source, a
run of what it did itself since its spider was last idle, so `yuqing status`, the digest and
/metrics keep working.

Single-machine crawling (`yuqing crawl`, the scheduler, `make demo`) never touches this module.
"""

from __future__ import annotations

import signal
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from yuqing.config.models import Config, Source
from yuqing.crawlers.politeness import crawl_settings_of, scrapy_overrides
from yuqing.crawlers.store import CrawlStore, RunStats

# 人民网领导留言板 (liuyan) keeps a one-request-at-a-time queue inside its spider: it cannot be
# shared, so it stays with the scheduler's own crawl (app/jobs.py keeps its job).
SHARED_KINDS = frozenset({"feed", "site", "board"})
TICK = 0.25          # seconds between a worker's checks: due sources, queued requests (Clock)
SEEDING_LEASE = 60   # seconds a worker may take to queue one source's seeds


class RoundStore(CrawlStore):
    """A CrawlStore whose run record is written when a share of work is done, not at start."""

    def __init__(self, db, source: Source, channel: str):
        self.db, self.source_id, self.source, self.channel = db, source.id, source, channel
        self.stats = RunStats()
        self.run_id = None

    def active(self) -> bool:
        s = self.stats
        return bool(s.pages_fetched or s.items_seen or s.items_failed or s.pages_ok)

    def flush(self, spider) -> None:
        if not self.active():
            return
        if self.stats.items_failed == 0:
            for url, (etag, modified) in spider.pending_validators.items():
                self.remember_validators(url, etag, modified)
        spider.pending_validators.clear()
        self.run_id = self._open_run(self.source.name, self.source.kind)
        self.close()
        self.stats, self.run_id = RunStats(), None


def shared_spider(cls):
    """The source spider with seeding taken over by the worker (see SharedCrawl)."""

    class Shared(cls):
        async def start(self):
            return
            yield  # noqa: unreachable - an empty async generator

        async def seeds(self):
            async for request in cls.start(self):
                yield request

        # a request that failed for good is finished: it leaves the in-flight hash
        def on_list_error(self, failure):
            super().on_list_error(failure)
            self.crawler.engine._slot.scheduler.done(failure.request)

        def on_item_error(self, failure):
            super().on_item_error(failure)
            self.crawler.engine._slot.scheduler.done(failure.request)

        def closed(self, reason):      # the run is written by RoundStore.flush instead
            if self.on_closed is not None:
                self.on_closed()

    Shared.__name__ = Shared.__qualname__ = f"Shared{cls.__name__}"
    return Shared


class SharedCrawl:
    """Extension: seeding, requeueing dead workers' requests, idle handling, run records.

    Also the spider middleware that tells the scheduler when a response has been handled:
    all its requests queued and all its items through the pipeline (counted by item signals).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.prefix = settings.get("YUQING_REDIS_PREFIX", "yuqing")
        self.idle_exit = settings.getfloat("YUQING_IDLE_EXIT", 0)
        self.items: dict[str, int] = {}        # in-flight field -> items not yet through
        self.exhausted: set[str] = set()
        self.idle_since: float | None = None
        self.seeding = False
        self.spider = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)
        for sig in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=sig)

    @classmethod
    def from_crawler(cls, crawler):
        # one instance serves as extension and as spider middleware: they share the counts
        if not hasattr(crawler, "_yuqing_shared_crawl"):
            crawler._yuqing_shared_crawl = cls(crawler)
        return crawler._yuqing_shared_crawl

    @property
    def scheduler(self):
        return self.crawler.engine._slot.scheduler

    # -- completion of a request ------------------------------------------------------------
    # Scrapy buffers a callback's output before acting on it, so the end of the callback is not
    # the end of the request: each output is counted, and counted off when it is done — an item
    # when the pipeline has it (item signals), a request when the scheduler has queued it.
    def finish(self, field: str) -> None:
        if field in self.exhausted and self.items.get(field, 0) <= 0:
            self.exhausted.discard(field)
            self.items.pop(field, None)
            self.scheduler.server.hdel(self.scheduler.inflight_key, field)

    def _count(self, field, output) -> None:
        if field:
            self.items[field] = self.items.get(field, 0) + 1
            if hasattr(output, "callback"):
                output.meta["yq_parent"] = field

    def _count_off(self, field) -> None:
        if field and field in self.items:
            self.items[field] -= 1
            self.finish(field)

    async def process_spider_output_async(self, response, result):
        field = response.meta.get("yq_inflight")
        try:
            async for output in result:
                self._count(field, output)
                yield output
        finally:
            if field:
                self.exhausted.add(field)
                self.finish(field)

    def process_spider_output(self, response, result):     # the sync form Scrapy also wants
        field = response.meta.get("yq_inflight")
        try:
            for output in result:
                self._count(field, output)
                yield output
        finally:
            if field:
                self.exhausted.add(field)
                self.finish(field)

    def item_done(self, item=None, response=None, **_kw) -> None:
        meta = getattr(response, "meta", None) if response is not None else None
        self._count_off(meta.get("yq_inflight") if meta else None)

    # -- the worker's clock -----------------------------------------------------------------
    def opened(self, spider):
        self.spider = spider
        self.scheduler.child_queued = self._count_off
        Clock.join(self)

    def closed(self, spider):
        Clock.leave(self)
        spider.store.flush(spider)

    @property
    def due_key(self) -> str:
        return f"{self.prefix}:due:{self.spider.source.id}"

    def wake(self) -> None:
        # an idle engine looks at its scheduler only every few seconds: wake it
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def seed(self) -> None:
        """Queue the source's list pages and feeds once per interval across all workers (the
        clock calls this when the source's "due" key is gone).

        The "due" key is written only after every seed is queued; a worker killed while seeding
        leaves just its short "seeding" key, and another worker seeds again when it expires."""
        spider = self.spider
        source, server = spider.source, self.scheduler.server
        due, seeding = self.due_key, f"{self.prefix}:seeding:{source.id}"
        if self.seeding:
            return
        if not server.set(seeding, self.scheduler.worker.id, nx=True, ex=SEEDING_LEASE):
            return
        from scrapy.utils.defer import deferred_from_coro

        async def seed():
            try:
                async for request in spider.seeds():
                    self.crawler.engine.crawl(request)
                server.set(due, self.scheduler.worker.id,
                           ex=max(int(source.interval.total_seconds()), 1))
            finally:
                server.delete(seeding)
                self.seeding = False

        self.seeding = True
        deferred_from_coro(seed())

    def idle(self, spider):
        spider.store.flush(spider)
        server = self.scheduler.server
        busy = (len(self.scheduler) or self.scheduler.in_flight() or self.seeding
                or not server.exists(self.due_key))
        if busy or self.idle_exit <= 0:
            self.idle_since = None
            raise DontCloseSpider
        self.idle_since = self.idle_since or time.monotonic()
        if time.monotonic() - self.idle_since < self.idle_exit:
            raise DontCloseSpider


class Clock:
    """The worker's clock: one for all the sources' crawlers in this process.

    Every TICK it asks Redis, in one round trip for all sources, which sources are due for seeding
    and which have queued requests (and wakes those crawlers' engines), and every REAP seconds it
    requeues what dead workers had in flight (two round trips). Redis calls are synchronous in
    the reactor thread, so their number matters: a clock per source (20 sources: ~160 calls a
    second) left the reactor waiting on Redis most of the time on a busy machine (issue 18)."""

    crawls: list[SharedCrawl] = []
    expected = 0         # the number of sources this worker crawls (run_crawl_worker)
    loop = None
    last_reap = 0.0

    @classmethod
    def join(cls, crawl: SharedCrawl) -> None:
        cls.crawls.append(crawl)
        worker = crawl.scheduler.worker
        if len(cls.crawls) >= cls.expected and worker.state != "crawling":
            worker.state = "crawling"        # every source's crawler is open
            worker.beat()
        if cls.loop is None:
            from twisted.internet import task

            cls.loop = task.LoopingCall(cls.tick)
            cls.loop.start(TICK, now=False)
        cls.tick()

    @classmethod
    def leave(cls, crawl: SharedCrawl) -> None:
        if crawl in cls.crawls:
            cls.crawls.remove(crawl)
        if not cls.crawls and cls.loop is not None:
            if cls.loop.running:
                cls.loop.stop()
            cls.loop = None

    @classmethod
    def tick(cls) -> None:
        crawls = [c for c in cls.crawls if c.spider is not None]
        if not crawls:
            return
        from yuqing.crawlers.shared_queue import reap

        worker = crawls[0].scheduler.worker
        try:
            pipe = worker.server.pipeline(transaction=False)
            for c in crawls:
                pipe.exists(c.due_key)
                pipe.zcard(c.scheduler.queue.key)
            answers = pipe.execute()
            for k, c in enumerate(crawls):
                if not answers[2 * k]:
                    c.seed()
                if answers[2 * k + 1]:
                    c.wake()
            if time.monotonic() - cls.last_reap >= max(TICK, worker.lease / 3):
                cls.last_reap = time.monotonic()
                reap(worker, [c.scheduler for c in crawls])
        except Exception as exc:  # noqa: BLE001 - Redis or the store away: try again next tick
            crawls[0].spider.logger.warning("worker tick failed: %s", exc)


def worker_settings(config: Config, redis_url: str, prefix: str, idle_exit: float) -> dict:
    from yuqing.crawlers import settings as base

    overrides = scrapy_overrides(crawl_settings_of(config))
    return {
        **{k: getattr(base, k) for k in dir(base) if k.isupper()},
        **overrides,
        # one crawler per source, so per crawler: what the site may have in flight
        "CONCURRENT_REQUESTS": overrides["CONCURRENT_REQUESTS_PER_DOMAIN"],
        "SCHEDULER": "yuqing.crawlers.shared_queue.SharedScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,          # the queue and filter outlive any one worker
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "REDIS_URL": redis_url,
        "YUQING_REDIS_PREFIX": prefix,
        "YUQING_IDLE_EXIT": idle_exit,
        # the site's shared slot is taken when a request goes out, after this worker's own delay
        "DOWNLOAD_HANDLERS": {scheme: "yuqing.crawlers.shared_politeness.SharedSlotsHandler"
                              for scheme in ("http", "https")},
        "SPIDER_MIDDLEWARES": {"yuqing.crawlers.distributed.SharedCrawl": 10},
        "EXTENSIONS": {**base.EXTENSIONS, "yuqing.crawlers.distributed.SharedCrawl": 500},
    }


def run_crawl_worker(config: Config, database_url: str, redis_url: str, idle_exit: float = 0,
                     source_ids: list[str] | None = None, prefix: str | None = None,
                     lease: float = 15.0) -> int:
    """Crawl from the shared queue until stopped (or idle for `idle_exit` seconds)."""
    import os

    import redis
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from yuqing.crawlers.runner import _crawler, channel_of, select_sources
    from yuqing.crawlers.shared_queue import SharedScheduler, Worker
    from yuqing.crawlers.spiders.board import BoardSpider
    from yuqing.crawlers.spiders.feed import FeedSpider
    from yuqing.crawlers.spiders.site import SiteSpider
    from yuqing.storage.db import open_database

    prefix = prefix or os.environ.get("YUQING_REDIS_PREFIX", "yuqing")
    lease = float(os.environ.get("YUQING_WORKER_LEASE", lease))
    spiders = {kind: shared_spider(cls) for kind, cls in (
        ("feed", FeedSpider), ("site", SiteSpider), ("board", BoardSpider))}
    assert set(spiders) == SHARED_KINDS
    # 领导留言板 sources stay with the scheduler's own crawl (app/jobs.py): one request at a time
    sources = [s for s in select_sources(config, source_ids) if s.kind in spiders]
    server = redis.Redis.from_url(redis_url)
    server.ping()
    worker = Worker(server, prefix, lease)
    SharedScheduler.worker = worker
    Clock.expected = len(sources)
    db = open_database(database_url)
    settings = Settings()
    settings.setdict(worker_settings(config, redis_url, prefix, idle_exit), priority="project")
    process = CrawlerProcess(settings)
    for source in sources:
        crawler = _crawler(process, settings, spiders[source.kind], source)   # the source's own delay
        store = RoundStore(db, source, channel_of(source))
        crawler.signals.connect(lambda *a, st=store, **k: _count_page(st),
                                signal=signals.response_received, weak=False)
        process.crawl(crawler, source=source, store=store)
    signal.signal(signal.SIGTERM, lambda *_: process.stop())
    try:
        process.start()
    finally:
        worker.stop()
        db.dispose()
    return 0


def _count_page(store: RoundStore) -> None:
    store.stats.pages_fetched += 1

"""Scrapy settings that do not vary by deployment. Speed and limits (delay, concurrency,
AutoThrottle, timeout, size cap, User-Agent) come from the `crawl:` settings section through
crawlers/politeness.py; robots.txt is always obeyed."""

BOT_NAME = "yuqing"
SPIDER_MODULES = ["yuqing.crawlers.spiders"]
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPERROR_ALLOW_ALL = False
REDIRECT_MAX_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOADER_MIDDLEWARES = {
    "yuqing.crawlers.middlewares.AddressGuardMiddleware": 50,
    "yuqing.crawlers.middlewares.ConditionalGetMiddleware": 560,
}
# Scrapy's downloader lets a burst past the per-site limit when there is no delay (see
# crawlers/site_slots.py); the limit is held again where each request goes out.
DOWNLOAD_HANDLERS = {"http": "yuqing.crawlers.site_slots.SiteSlotsHandler",
                     "https": "yuqing.crawlers.site_slots.SiteSlotsHandler"}
ITEM_PIPELINES = {"yuqing.crawlers.pipelines.StorePipeline": 300}
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Nothing in a collector should listen on a port.
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None,
              "scrapy.extensions.telnet.TelnetConsole": None}
# Items a response yields are stored one by one by a synchronous pipeline: Scrapy's default of
# 100 "parallel" items makes 101 asyncio tasks per response for nothing (issue 18: ~15% of a
# crawl worker's CPU). One at a time keeps their order and does the same work.
CONCURRENT_ITEMS = 1
# Scrapy checks every callback for `return value` in a generator by parsing its source, and its
# cache is keyed by the bound method, new on every call: a parse per response. Ours are tested.
WARN_ON_GENERATOR_RETURN_VALUE = False

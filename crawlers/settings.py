"""Scrapy settings: polite by default (robots.txt, AutoThrottle, small per-domain concurrency)."""

from yuqing import __version__

BOT_NAME = "yuqing"
SPIDER_MODULES = ["crawlers.spiders"]
USER_AGENT = (f"yuqing/{__version__} (public-opinion monitor of a district government; "
              "+https://github.com/yuqing-project/yuqing)")
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPERROR_ALLOW_ALL = False
REDIRECT_MAX_TIMES = 5
DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.AddressGuardMiddleware": 50,
    "crawlers.middlewares.ConditionalGetMiddleware": 560,
}
ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Nothing in a collector should listen on a port.
EXTENSIONS = {"scrapy.extensions.remote_control.RemoteControl": None,
              "scrapy.extensions.telnet.TelnetConsole": None}

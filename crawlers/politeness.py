"""Crawl politeness per deployment (采集礼貌设置): the `crawl:` section of settings.yaml,
turned into Scrapy settings.

robots.txt, the identifying User-Agent, the size cap, the own-domain rule and the refusal of
private addresses are not switches: a deployment tunes speed, never manners.
"""

from __future__ import annotations

from datetime import timedelta

from yuqing import __version__

DEFAULT_USER_AGENT = (f"yuqing/{__version__} (public-opinion monitor of a district government; "
                      "+https://github.com/yuqing-project/yuqing)")


from yuqing.config.settings import CrawlSettings  # the `crawl:` section of settings.yaml


def crawl_settings_of(config) -> CrawlSettings:
    """The deployment's crawl settings, or the shipped defaults."""
    return config.settings.crawl


def to_json(crawl: CrawlSettings) -> dict:
    """Plain values for the child process (durations as "<seconds>s")."""
    return {k: f"{v.total_seconds()}s" if isinstance(v, timedelta) else v
            for k, v in ((k, getattr(crawl, k)) for k in CrawlSettings.model_fields)}


def _seconds(value: timedelta) -> float:
    return value.total_seconds()


def user_agent(crawl: CrawlSettings) -> str:
    """A deployment may name itself, but the bot always says what it is."""
    custom = crawl.user_agent.strip()
    if not custom:
        return DEFAULT_USER_AGENT
    return custom if "yuqing" in custom.lower() else f"{custom} {DEFAULT_USER_AGENT}"


def scrapy_overrides(crawl: CrawlSettings) -> dict:
    delay = _seconds(crawl.download_delay)
    return {
        "USER_AGENT": user_agent(crawl),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "yuqing",
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if delay > 0 else 0,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        # AutoThrottle never goes below DOWNLOAD_DELAY; it only backs off from a slow site.
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1),
        "AUTOTHROTTLE_MAX_DELAY": max(10.0, delay * 4),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": _seconds(crawl.timeout),
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
    }

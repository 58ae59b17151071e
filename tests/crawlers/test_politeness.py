"""Politeness per deployment: the `crawl:` settings reach Scrapy, the manners do not bend."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from yuqing.crawlers.politeness import (DEFAULT_USER_AGENT, CrawlSettings, crawl_settings_of,
                                 scrapy_overrides)
from yuqing.crawlers.runner import CrawlError, crawl_in_subprocess
from yuqing.crawlers.store import CrawlStore, abandon_runs
from yuqing.storage.models import Source, SourceRun
from countingsite import CountingSite


def test_shipped_defaults_when_the_config_has_no_crawl_section(default_config):
    assert crawl_settings_of(default_config) == CrawlSettings()
    s = scrapy_overrides(CrawlSettings())
    assert s["DOWNLOAD_DELAY"] == 0.5 and s["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert s["AUTOTHROTTLE_ENABLED"] and s["ROBOTSTXT_OBEY"]
    assert s["DOWNLOAD_MAXSIZE"] == 8 * 1024 * 1024 and s["DOWNLOAD_TIMEOUT"] == 20


def test_deployment_settings_are_used():
    config = SimpleNamespace(settings=SimpleNamespace(crawl=CrawlSettings(
        download_delay="2s", concurrency_per_domain=1, autothrottle=False, timeout="45s",
        max_page_bytes=2 * 1024 * 1024, user_agent="zhifu-yuqing-monitor/1.0 (+mailto:zfb@example.cn)")))
    s = scrapy_overrides(crawl_settings_of(config))
    assert (s["DOWNLOAD_DELAY"], s["CONCURRENT_REQUESTS_PER_DOMAIN"], s["AUTOTHROTTLE_ENABLED"],
            s["DOWNLOAD_TIMEOUT"], s["DOWNLOAD_MAXSIZE"]) == (2.0, 1, False, 45.0, 2 * 1024 * 1024)
    assert s["USER_AGENT"] == "zhifu-yuqing-monitor/1.0 (+mailto:zfb@example.cn)"


@pytest.mark.parametrize("custom, expected", [
    ("", DEFAULT_USER_AGENT),
    ("Mozilla/5.0", f"Mozilla/5.0 {DEFAULT_USER_AGENT}"),       # may not pass for a browser
])
def test_user_agent_always_names_the_bot(custom, expected):
    assert scrapy_overrides(CrawlSettings(user_agent=custom))["USER_AGENT"] == expected


@pytest.mark.parametrize("field, value", [("download_delay", "-1s"), ("concurrency_per_domain", 0),
                                          ("max_page_bytes", 100), ("retries", 9), ("robots", False)])
def test_bad_crawl_settings_are_rejected(field, value):
    with pytest.raises(ValueError):
        CrawlSettings(**{field: value})


def test_download_delay_spaces_requests_to_one_site(db, edge_sites, config_dir, fast_crawl):
    edge_sites.zhifu.overrides["/slowly/list.html"] = (
        '<html><head><meta charset="utf-8"><title>列表</title></head><body><ul class="l">'
        '<li><a href="/art/utf8_notice.html">向阳街道开展冬季燃气安全入户检查</a></li>'
        '<li><a href="/art/page2_more.html">向阳街道新时代文明实践站开展读书分享会</a></li>'
        '<li><a href="/art/page2_last.html">向阳街道召开网格员业务培训会</a></li></ul></body></html>').encode()
    directory = config_dir(f"""\
        sources:
          - id: street
            name: 向阳街道办事处网站
            kind: site
            urls: ["{edge_sites.url()}/slowly/list.html"]
            allow_private: true
        """)
    polite = fast_crawl.model_copy(update={"download_delay": CrawlSettings(download_delay="0.4s").download_delay})
    [summary] = crawl_in_subprocess(directory, db.url, crawl=polite)
    assert summary.items_new == 3
    times = [t for t, path in edge_sites.zhifu.times if path != "/robots.txt"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 3 and min(gaps) >= 0.19      # 0.4 s with ±50 % jitter


def test_a_crawl_that_outlives_its_timeout_is_killed(db, demo_config):
    with pytest.raises(CrawlError, match="采集超过 0 秒仍未结束，已终止"):
        crawl_in_subprocess(demo_config.directory, db.url, timeout=0.3)


def test_killed_runs_are_closed_as_failures(db):
    store = CrawlStore(db, "portal", "门户", "site")
    abandon_runs(db, [store.run_id], "采集超过 1800 秒仍未结束，已终止")
    with db.session() as s:
        run = s.scalar(select(SourceRun))
        assert run.status == "failed" and run.errors == ["采集超过 1800 秒仍未结束，已终止"]
        src = s.get(Source, "portal")
        assert src.consecutive_failures == 1 and src.last_error.startswith("采集超过")


@pytest.mark.parametrize("limit", [1, 2])
def test_a_site_never_has_more_requests_in_flight_than_its_limit(db, config_dir, limit):
    """With no delay, Scrapy's downloader handed a site every queued request at once (16 against
    a limit of 1); the limit holds however the crawl is configured."""
    site = CountingSite(("127.0.0.31", 0)).start()
    try:
        directory = config_dir(f"""\
            sources:
              - id: counted
                name: 计数站点
                kind: site
                urls: ["{site.url()}"]
                allow_private: true
                selectors: {{list_links: 'ul.list li a'}}
            """)
        eager = CrawlSettings(download_delay="0s", concurrency_per_domain=limit, autothrottle=False,
                              timeout="10s", retries=1)
        [summary] = crawl_in_subprocess(directory, db.url, crawl=eager)
    finally:
        site.shutdown()
    assert summary.items_new == 24 and site.served >= 25
    assert site.peak == limit, f"the site had {site.peak} requests at once, its limit is {limit}"

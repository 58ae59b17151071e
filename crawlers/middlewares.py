"""Downloader middlewares: stay on the source's own hosts, refuse private addresses,
and ask list pages and feeds only for what changed (conditional GET)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawlers.urls import host_of, is_private_host, registered_domain


class _SpiderAware:
    """Scrapy no longer passes the spider to middlewares; reach it through the crawler."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider


class AddressGuardMiddleware(_SpiderAware):
    def process_request(self, request):
        spider = self.spider
        host = host_of(request.url)
        if request.url.endswith("/robots.txt"):
            return None
        allowed = getattr(spider, "allowed_hosts", None)
        if allowed is not None and registered_domain(host) not in allowed:
            spider.store.stats.fail(f"拒绝离开本站：{request.url}")
            raise IgnoreRequest(f"offsite: {request.url}")
        if not spider.source.allow_private and is_private_host(host):
            spider.store.stats.fail(f"拒绝访问内网或本机地址（信息源未设置 allow_private）：{request.url}")
            raise IgnoreRequest(f"private address: {request.url}")
        return None


class ConditionalGetMiddleware(_SpiderAware):
    def process_request(self, request):
        if not request.meta.get("conditional"):
            return None
        state = self.spider.store.validators(request.url)
        if state is not None:
            if state.etag:
                request.headers.setdefault("If-None-Match", state.etag)
            if state.last_modified:
                request.headers.setdefault("If-Modified-Since", state.last_modified)
        return None

    def process_response(self, request, response):
        if request.meta.get("conditional") and response.status == 200:
            etag = response.headers.get("ETag", b"").decode("latin-1")
            modified = response.headers.get("Last-Modified", b"").decode("latin-1")
            if etag or modified:
                request.meta["validators"] = (etag, modified)
        return response

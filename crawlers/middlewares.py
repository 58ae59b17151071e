"""Downloader middlewares: stay on the source's own hosts, refuse private addresses,
and ask list pages and feeds only for what changed (conditional GET)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from yuqing.crawlers.urls import host_of, is_private_host, is_robots_url, registered_domain


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


class Refused(IgnoreRequest):
    """A request the collector will not make; the message is the recorded outcome."""


class AddressGuardMiddleware(_SpiderAware):
    """Runs on every request, redirects included (they come back through the chain)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._private: dict[str, bool] = {}    # name resolution blocks: once per host per run
        self._passed: set[str] = set()         # hosts a real request was allowed to reach

    def process_request(self, request):
        spider = self.spider
        host = host_of(request.url)
        if host not in self._private:
            self._private[host] = is_private_host(host)
        if not spider.source.allow_private and self._private[host]:
            raise Refused(f"拒绝访问内网或本机地址（信息源未设置 allow_private）：{request.url}")
        # Scrapy asks for robots.txt of a host only after a real request to it passed this
        # guard (this middleware runs first), so robots.txt of any other host is an attack.
        if is_robots_url(request.url) and host in self._passed:
            return None
        allowed = set(getattr(spider, "allowed_hosts", None) or ())
        listed = request.meta.get("listed_host")
        may_follow = getattr(spider, "may_follow", None)
        if listed and may_follow is not None and may_follow(listed):
            allowed.add(registered_domain(listed))    # a feed item's own site, if permitted
        if allowed and registered_domain(host) not in allowed:
            origin = request.meta.get("redirect_urls", [None])[0]
            how = f"（由 {origin} 跳转）" if origin else ""
            raise Refused(f"拒绝离开本站：{request.url}{how}")
        self._passed.add(host)
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

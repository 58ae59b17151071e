"""What all source spiders share: the source, its store, error recording, politeness."""

from __future__ import annotations

from typing import Callable

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from yuqing.config.models import Source
from yuqing.crawlers.extract import extract_article, extract_links, next_pages
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.store import CrawlStore
from yuqing.crawlers.urls import canonical_url, host_of, registered_domain
from yuqing.timeutil import now


MAX_LINKS_PER_PAGE = 300


class SourceSpider(scrapy.Spider):
    """One spider instance crawls one configured source."""

    def __init__(self, source: Source, store: CrawlStore,
                 on_closed: Callable[[], None] | None = None, **kwargs):
        super().__init__(name=f"{source.kind}:{source.id}", **kwargs)
        self.source = source
        self.store = store
        self.on_closed = on_closed
        self.allowed_hosts = {registered_domain(host_of(u)) for u in source.urls}
        self.pending_validators: dict[str, tuple[str, str]] = {}

    def list_request(self, url: str, callback, **meta) -> scrapy.Request:
        """A list page or feed: conditional, never deduplicated away."""
        return scrapy.Request(url, callback=callback, errback=self.on_list_error, dont_filter=True,
                              meta={"conditional": True, "handle_httpstatus_list": [304], **meta})

    def item_request(self, url: str, callback, **meta) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_item_error,
                              meta={"canonical": canonical_url(url), **meta})

    def list_ok(self, response: Response) -> bool:
        """Record a fetched list page; False when it has not changed (304)."""
        self.store.stats.pages_ok += 1
        if "validators" in response.meta:
            self.pending_validators[response.url] = response.meta["validators"]
        return response.status != 304

    def on_list_error(self, failure: Failure) -> None:
        self.store.stats.fail(_describe(failure, "列表页/订阅源获取失败"))

    def on_item_error(self, failure: Failure) -> None:
        self.store.stats.fail(_describe(failure, "页面获取失败"))

    def closed(self, reason: str) -> None:
        # Only a clean run that finished may skip unchanged lists next time: failed items get
        # retried, and a run stopped early (SIGTERM from the scheduler on a lost lease or a
        # stop: reason "shutdown") dropped the items it had queued, which a 304 on their list
        # page would then never fetch (a SIGTERMed sample-board crawl kept 15 of 52 for good).
        if reason == "finished" and self.store.stats.items_failed == 0:
            for url, (etag, modified) in self.pending_validators.items():
                self.store.remember_validators(url, etag, modified)
        if self.on_closed is not None:
            self.on_closed()

    @staticmethod
    def fetched_at() -> object:
        return now()

    def follow_list(self, response: Response, item_callback, what: str, **item_meta):
        """New links of a list page, then its next page while max_pages allows."""
        links = extract_links(response.body, response.url, self.source.selectors.list_links)
        if not links:
            self.store.stats.fail(f"{what}上没有找到链接：{response.url}")
        if len(links) > MAX_LINKS_PER_PAGE:
            # a district column lists 15-50 items; thousands means a hostile or broken page
            self.store.stats.fail(f"{what}上有 {len(links)} 个链接，超过上限 {MAX_LINKS_PER_PAGE}，"
                                  f"只跟进前 {MAX_LINKS_PER_PAGE} 个：{response.url}")
            links = links[:MAX_LINKS_PER_PAGE]
        stored = self.store.known([canonical_url(link.url) for link in links])
        for link in links:
            if canonical_url(link.url) not in stored:
                yield self.item_request(link.url, item_callback, listed=link, **item_meta)
        depth = response.meta["depth"]
        if depth < self.source.max_pages:
            for page in next_pages(response.body, response.url)[:1]:
                yield self.list_request(page, response.request.callback, depth=depth + 1)

    def article_item(self, response: Response, kind: str, title: str = "",
                     published=None, prefer_given_time: bool = False, author: str = "",
                     prefer_given: bool = False) -> MentionItem:
        """Extract an article page; `title`/`published`/`author` come from the list or feed
        and fill gaps. A feed's own time wins when `prefer_given_time` (it is the post's
        time); its title and author win when `prefer_given`: a followed post is still the
        poster's post, whatever the linked page calls itself or whoever wrote it."""
        article = extract_article(response.body, response.url, self.fetched_at(),
                                  self.source.selectors.model_dump(exclude_none=True),
                                  declared_charset(response))
        if not article.content:
            self.store.stats.fail(f"未能提取正文：{response.url}：{'；'.join(article.problems)}")
        when = (published or article.published_at) if prefer_given_time \
            else (article.published_at or published)
        if prefer_given:
            title, author = title or article.title, author or article.author
        else:
            title, author = article.title or title, article.author or author
        return MentionItem(
            source_id=self.source.id, url=response.meta["canonical"], kind=kind,
            title=title, content=article.content, published_at=when,
            fetched_at=self.fetched_at(), author=author, origin=article.source,
            encoding=article.encoding, problems=list(article.problems),
            attachments=[{"title": a.title, "url": a.url} for a in article.attachments])


def declared_charset(response: Response) -> str | None:
    """The HTTP header's charset: a hint only, the bytes decide (crawlers.extract.encoding)."""
    header = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return header.split("charset=", 1)[1].strip() if "charset=" in header else None


def _describe(failure: Failure, what: str) -> str:
    from yuqing.crawlers.middlewares import Refused

    url = failure.request.url
    if failure.check(Refused):
        return str(failure.value)
    return f"{what}：{url}：{_reason(failure)}"


def _reason(failure: Failure) -> str:
    from scrapy import exceptions as ex
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import DNSLookupError, TimeoutError as TxTimeout
    from twisted.web._newclient import ResponseNeverReceived

    message = str(failure.value)
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(DNSLookupError):
        return "域名解析失败"
    if "max size" in message:
        return "页面超过大小上限，已放弃"
    if failure.check(TxTimeout, ex.DownloadTimeoutError) or "timeout" in message.lower() \
            or "took longer than" in message:
        return "超时"
    if failure.check(ex.IgnoreRequest) and "robots.txt" in message:
        return "robots.txt 不允许采集"
    if failure.check(ex.DownloadConnectionRefusedError):
        return "连接被拒绝"
    if failure.check(ResponseNeverReceived, ex.DownloadFailedError):
        return "连接中断，未收到完整响应"
    return failure.getErrorMessage() or failure.type.__name__

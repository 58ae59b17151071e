"""Render every page of the four sites once, into a path -> Page table per site."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from yuqing.sample_sites import pages, pages_social
from yuqing.sample_sites.corpus import PER_PAGE, Corpus
from yuqing.sample_sites.model import COLUMNS, WEIBO_UID, SampleItem

HTML_UTF8 = "text/html; charset=utf-8"
HTML_GBK = "text/html"       # like many GBK sites: no charset in the header, only in the markup


@dataclass(frozen=True)
class Page:
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    conditional: bool = False            # lists and feeds answer If-None-Match / If-Modified-Since

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.body).hexdigest()[:20] + '"'


def _changed(items: list[SampleItem]) -> datetime | None:
    moments = [i.published_at for i in items] + [i.reply.at for i in items if i.reply]
    return max(moments) if moments else None


def build_routes(corpus: Corpus, bases: Mapping[str, str]) -> dict[str, dict[str, Page]]:
    return {"portal": _portal(corpus), "news": _news(corpus), "weibo": _weibo(corpus, bases),
            "board": _board(corpus)}


def _common(site: str, routes: dict[str, Page]) -> dict[str, Page]:
    routes["/robots.txt"] = Page(pages_social.robots(site).encode(), "text/plain; charset=utf-8")
    search = pages_social.search_page(site)
    routes["/search"] = Page(search.encode("gbk") if site == "news" else search.encode(),
                             HTML_GBK if site == "news" else HTML_UTF8)
    return routes


def _html(text: str, changed: datetime | None = None, conditional: bool = False) -> Page:
    return Page(text.encode("utf-8"), HTML_UTF8, changed, conditional)


def _gbk(text: str, changed: datetime | None = None, conditional: bool = False) -> Page:
    return Page(text.encode("gbk", errors="xmlcharrefreplace"), HTML_GBK, changed, conditional)


def _portal(corpus: Corpus) -> dict[str, Page]:
    routes: dict[str, Page] = {}
    columns = {slug: corpus.site("portal", slug) for slug in COLUMNS}
    home = _html(pages.portal_home(columns), _changed(corpus.site("portal")), True)
    routes["/"] = routes["/index.html"] = home
    for slug, items in columns.items():
        chunks = corpus.pages("portal", slug)
        for n, chunk in enumerate(chunks, 1):
            page = pages.portal_list(slug, chunk, n, len(chunks), len(items))
            routes[f"/col/{slug}/{pages.portal_page_name(n)}"] = _html(page, _changed(items), True)
        for i, item in enumerate(items):
            related = [r for r in items[max(0, i - 3):i + 4] if r is not item][:5]
            routes[item.path] = _html(pages.portal_article(item, related), item.published_at)
            if item.attachment:
                routes[f"/module/download/{item.ident}_1.pdf"] = Page(pages.pdf_bytes(item.attachment),
                                                                      "application/pdf", item.published_at)
    for slug in pages.EXTRA_COLUMNS:
        routes[f"/col/{slug}/index.html"] = _html(pages.portal_placeholder(slug), None, True)
    return _common("portal", routes)


def _news(corpus: Corpus) -> dict[str, Page]:
    routes: dict[str, Page] = {}
    items = corpus.site("news")
    hot = sorted(items[:15], key=lambda i: len(i.text), reverse=True)[:6]
    changed = _changed(items)
    home = _gbk(pages.news_home(items[:12], hot), changed, True)
    routes["/"] = routes["/index.html"] = home
    chunks = corpus.pages("news")
    for n, chunk in enumerate(chunks, 1):
        page = _gbk(pages.news_list(chunk, n, len(chunks), hot), changed, True)
        routes[f"/yantai/{pages.news_page_name(n)}"] = page
        if n == 1:
            routes["/yantai/"] = page
    for i, item in enumerate(items):
        related = [r for r in items if r is not item and r.topic == item.topic][:4] or items[i + 1:i + 4]
        routes[item.path] = _gbk(pages.news_article(item, related, hot), item.published_at)
    return _common("news", routes)


def _weibo(corpus: Corpus, bases: Mapping[str, str]) -> dict[str, Page]:
    routes: dict[str, Page] = {}
    items = corpus.site("weibo")
    feed_path = f"/weibo/user/{WEIBO_UID}"
    base = bases["weibo"]
    changed = _changed(items)
    feed = pages_social.weibo_feed(items, base + feed_path, base, changed or corpus.now)
    routes[feed_path] = Page(feed.encode("utf-8"), "application/xml; charset=utf-8", changed, True)
    routes["/"] = _html(pages_social.rsshub_home())
    for item in items:
        routes[item.path] = _html(pages_social.weibo_status(item), item.published_at)
    return _common("weibo", routes)


def _board(corpus: Corpus) -> dict[str, Page]:
    routes: dict[str, Page] = {}
    items = corpus.site("board")
    changed = _changed(items)
    home = _html(pages_social.board_home(items[:10]), changed, True)
    routes["/"] = routes["/index.html"] = routes["/liuyan/"] = home
    chunks = corpus.pages("board")
    for n, chunk in enumerate(chunks, 1):
        page = pages_social.board_list(chunk, n, len(chunks), len(items), PER_PAGE["board"])
        routes[f"/liuyan/list_{n}.html"] = _html(page, changed, True)
    for item in items:
        routes[item.path] = _html(pages_social.board_detail(item), _changed([item]))
    return _common("board", routes)

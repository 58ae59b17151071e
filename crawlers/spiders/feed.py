"""RSS 2.0 / Atom feeds, including RSSHub routes for Weibo and WeChat accounts."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timezone

import feedparser

from yuqing.crawlers.feed_problems import (article_problem, empty_feed_problem,
                                           service_problem)
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.spiders.base import SourceSpider
from yuqing.crawlers.text import html_to_text
from yuqing.crawlers.urls import canonical_url, host_of, registered_domain

# RSSHub and Weibo's own pages name an account, not a post: "<name>的微博", "…的微博_微博"
_GENERIC_TITLE = re.compile(r".{1,30}的(?:微博|动态|公众号文章)(?:[_\-|｜ ].{0,10})?")

# A post shorter than this is probably a title-only item: follow its link for the text.
MIN_INLINE_TEXT = 40
MICROBLOG_DOMAINS = {"weibo.com", "weibo.cn"}
# RSSHub routes of microblog accounts: their items are whole posts, wherever they link
MICROBLOG_ROUTES = re.compile(r"/(?:weibo|douyin|twitter)/")
# Publishing platforms whose articles feeds (RSSHub, WeChat feed services) link to. Any other
# host a feed item names is followed only when the source lists it in `follow_hosts`: a feed
# must not be able to send the collector to an arbitrary site.
PLATFORM_HOSTS = {"mp.weixin.qq.com", "weibo.com", "m.weibo.cn", "weibo.cn", "www.weibo.com"}
SERVICE_ANSWERS = [304, 400, 401, 403, 404, 429, 500, 502, 503]


class FeedSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            # error answers of RSSHub and the WeChat bridges are read, to say what they mean
            yield self.list_request(url, self.parse_feed, handle_httpstatus_list=SERVICE_ANSWERS)

    def parse_feed(self, response):
        if response.status != 304:
            kind = response.headers.get("Content-Type", b"").decode("latin-1").lower()
            problem = service_problem(response.url, response.status, kind, response.body)
            if problem or response.status >= 400:
                self.store.stats.fail(problem or f"列表页/订阅源获取失败：{response.url}：HTTP {response.status}")
                return
        if not self.list_ok(response):
            return
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not parsed.entries:
            reason = str(getattr(parsed, "bozo_exception", ""))[:120]
            self.store.stats.fail(f"订阅源不是有效的 RSS/Atom：{response.url}（{reason}）")
            self.store.stats.pages_ok -= 1
            return
        if not parsed.entries and self.store.has_items():
            # an account's timeline does not empty itself: the bridge lost its view of it
            self.store.stats.fail(empty_feed_problem(response.url))
            self.store.stats.pages_ok -= 1
            return
        stored = self.store.known([_safe_canonical(response, e) for e in parsed.entries])
        channel = parsed.feed.get("link", "") if parsed.get("feed") else ""
        microblog = (registered_domain(host_of(channel)) in MICROBLOG_DOMAINS if channel.startswith("http")
                     else False) or bool(MICROBLOG_ROUTES.search(response.url))
        for entry in parsed.entries:
            try:
                yield from self._entry(response, entry, stored, microblog)
            except Exception as exc:  # noqa: BLE001 - one broken item must not lose the rest
                self.store.stats.fail(f"订阅源中有一条无法解析：{entry.get('title', '')[:40]}："
                                      f"{type(exc).__name__}: {exc}")

    def _entry(self, response, entry, stored: set[str], microblog_feed: bool = False):
        link = response.urljoin(entry.get("link") or entry.get("id") or "")
        if not link.startswith(("http://", "https://")) or link == response.url:
            self.store.stats.fail(f"订阅源中有一条缺少链接：{entry.get('title', '')[:40]}")
            return
        url = canonical_url(link)
        if url in stored:
            return
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
        text = html_to_text(body)
        title = html_to_text(entry.get("title", ""))
        problem = article_problem(f"{title}\n{text}")
        if problem:
            self.store.stats.fail(f"订阅源中的一条是错误条目（{problem}）：{title[:40]}")
            return
        if not title or _GENERIC_TITLE.fullmatch(title):
            # RSSHub titles image-only or forwarded posts "<name>的微博": say what it is about
            title = text.split("\n")[0][:40] or title
        published = _entry_time(entry)
        # WeChat feeds repeat the title as the "content": follow the link for the text. A
        # microblog item is the whole post however short, and its page needs a login.
        author = html_to_text(entry.get("author", "")).strip()
        on_microblog = registered_domain(host_of(url)) in MICROBLOG_DOMAINS
        microblog = microblog_feed or on_microblog
        if on_microblog:
            title_only = not text
        else:
            title_only = len(text) < MIN_INLINE_TEXT or squash(text) == squash(title)
        if title_only and self.source.follow_links and not self.may_follow(host_of(url)):
            self.store.stats.fail(f"订阅源条目链接指向未允许的站点，未跟进（仅保存条目本身）：{url}")
        elif title_only and self.source.follow_links:
            yield self.item_request(url, self.parse_linked, title=title, published=published,
                                    listed_host=host_of(url), author=author, post_text=text,
                                    microblog=microblog)
            return
        yield MentionItem(source_id=self.source.id, url=url, kind="post", title=title,
                          content=text or title, published_at=published,
                          fetched_at=self.fetched_at(), author=author)

    def may_follow(self, host: str) -> bool:
        """The feed's own site, a known publishing platform, or a host the source names."""
        if registered_domain(host) in self.allowed_hosts or host in PLATFORM_HOSTS:
            return True
        return any(host == h or host.endswith("." + h) for h in self.source.follow_hosts)

    def parse_linked(self, response):
        """A followed feed item. For a microblog post, the post stays the poster's: its title
        is its opening words and its author the poster, never the linked page's title, an
        account name ("X的微博") or the page's byline; the linked page gives the text."""
        meta = response.meta
        problem = article_problem(html_to_text(response.body[:20000].decode("utf-8", "replace")))
        if problem:
            self.store.stats.fail(f"{problem}：{response.url}")
            return
        if not meta.get("microblog"):
            yield self.article_item(response, "post", meta["title"], meta["published"],
                                    prefer_given_time=True, author=meta.get("author", ""))
            return
        item = self.article_item(response, "post", meta["title"], meta["published"],
                                 prefer_given_time=True, author=meta.get("author", ""),
                                 prefer_given=True)
        if not item.content.strip():
            item.content = meta.get("post_text", "")
        if not item.title or _GENERIC_TITLE.fullmatch(item.title):
            item.title = (item.content.split("\n")[0][:40] or item.title)
        yield item


def _entry_time(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    # feedparser normalises to UTC struct_time
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)


def _safe_canonical(response, entry) -> str:
    """For the one batched 'already stored?' query: a broken link is judged per item later."""
    try:
        return canonical_url(response.urljoin(entry.get("link") or entry.get("id") or ""))
    except Exception:  # noqa: BLE001
        return ""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")

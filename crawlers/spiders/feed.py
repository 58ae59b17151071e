"""RSS 2.0 / Atom feeds, including RSSHub routes for Weibo and WeChat accounts."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timezone

import feedparser

from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.spiders.base import SourceSpider
from yuqing.crawlers.text import html_to_text
from yuqing.crawlers.urls import canonical_url, host_of, registered_domain

_GENERIC_TITLE = re.compile(r".{1,30}的(?:微博|动态|公众号文章)")

# A post shorter than this is probably a title-only item: follow its link for the text.
MIN_INLINE_TEXT = 40
MICROBLOG_DOMAINS = {"weibo.com", "weibo.cn"}


class FeedSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            yield self.list_request(url, self.parse_feed)

    def parse_feed(self, response):
        if not self.list_ok(response):
            return
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not parsed.entries:
            reason = str(getattr(parsed, "bozo_exception", ""))[:120]
            self.store.stats.fail(f"订阅源不是有效的 RSS/Atom：{response.url}（{reason}）")
            self.store.stats.pages_ok -= 1
            return
        stored = self.store.known([_safe_canonical(response, e) for e in parsed.entries])
        for entry in parsed.entries:
            try:
                yield from self._entry(response, entry, stored)
            except Exception as exc:  # noqa: BLE001 - one broken item must not lose the rest
                self.store.stats.fail(f"订阅源中有一条无法解析：{entry.get('title', '')[:40]}："
                                      f"{type(exc).__name__}: {exc}")

    def _entry(self, response, entry, stored: set[str]):
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
        if not title or _GENERIC_TITLE.fullmatch(title):
            # RSSHub titles image-only or forwarded posts "<name>的微博": say what it is about
            title = text.split("\n")[0][:40] or title
        published = _entry_time(entry)
        # WeChat feeds repeat the title as the "content": follow the link for the text. A
        # microblog item is the whole post however short, and its page needs a login.
        if registered_domain(host_of(url)) in MICROBLOG_DOMAINS:
            title_only = not text
        else:
            title_only = len(text) < MIN_INLINE_TEXT or squash(text) == squash(title)
        if title_only and self.source.follow_links:
            yield self.item_request(url, self.parse_linked, title=title, published=published,
                                    listed_host=host_of(url))
            return
        yield MentionItem(source_id=self.source.id, url=url, kind="post", title=title,
                          content=text or title, published_at=published,
                          fetched_at=self.fetched_at(), author=entry.get("author", ""))

    def parse_linked(self, response):
        yield self.article_item(response, "post", response.meta["title"],
                                response.meta["published"], prefer_given_time=True)


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

"""RSS 2.0 / Atom feeds, including RSSHub routes for Weibo and WeChat accounts."""

from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser

from crawlers.extract import extract_article
from crawlers.items import MentionItem
from crawlers.spiders.base import SourceSpider
from crawlers.text import html_to_text
from crawlers.urls import canonical_url

# A post shorter than this is probably a title-only item: follow its link for the text.
MIN_INLINE_TEXT = 40


class FeedSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            yield self.list_request(url, self.parse_feed)

    def parse_feed(self, response):
        if not self.list_ok(response):
            return
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not parsed.entries:
            self.store.stats.fail(f"订阅源不是有效的 RSS/Atom：{response.url}："
                                  f"{getattr(parsed, 'bozo_exception', '')}")
            self.store.stats.pages_ok -= 1
            return
        for entry in parsed.entries:
            link = entry.get("link") or entry.get("id")
            if not link or not link.startswith(("http://", "https://")):
                self.store.stats.fail(f"订阅源中有一条缺少链接：{entry.get('title', '')[:40]}")
                continue
            url = canonical_url(response.urljoin(link))
            if self.store.known(url):
                continue
            body = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
            text = html_to_text(body)
            title = html_to_text(entry.get("title", "")) or text[:40]
            published = _entry_time(entry)
            if len(text) < MIN_INLINE_TEXT and self.source.follow_links:
                yield self.item_request(url, self.parse_linked, title=title, published=published)
                continue
            yield MentionItem(source_id=self.source.id, url=url, kind="post", title=title,
                              content=text or title, published_at=published,
                              fetched_at=self.fetched_at(), author=entry.get("author", ""))

    def parse_linked(self, response):
        article = extract_article(response.body, response.url, self.fetched_at(),
                                  self.source.selectors.model_dump(exclude_none=True),
                                  _declared(response))
        yield MentionItem(
            source_id=self.source.id, url=response.meta["canonical"], kind="post",
            title=article.title or response.meta["title"], content=article.content,
            published_at=response.meta["published"] or article.published_at,
            fetched_at=self.fetched_at(), author=article.author, origin=article.source,
            encoding=article.encoding, problems=list(article.problems),
            attachments=[{"title": a.title, "url": a.url} for a in article.attachments])


def _entry_time(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    # feedparser normalises to UTC struct_time
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)


def _declared(response) -> str | None:
    header = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return header.split("charset=", 1)[1].strip() if "charset=" in header else None

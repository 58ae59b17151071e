"""Government portals and news sites: column list pages -> article pages, with pagination."""

from __future__ import annotations

from crawlers.extract import extract_article, extract_links, next_pages
from crawlers.items import MentionItem
from crawlers.spiders.base import SourceSpider
from crawlers.spiders.feed import _declared



class SiteSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            yield self.list_request(url, self.parse_list, depth=1)

    def parse_list(self, response):
        if not self.list_ok(response):
            return
        links = extract_links(response.body, response.url, self.source.selectors.list_links)
        if not links:
            self.store.stats.fail(f"列表页上没有找到文章链接：{response.url}")
        for link in links:
            if self.is_new(link.url):
                yield self.item_request(link.url, self.parse_article, listed=link)
        depth = response.meta["depth"]
        if depth < self.source.max_pages:
            for page in next_pages(response.body, response.url)[:1]:
                yield self.list_request(page, self.parse_list, depth=depth + 1)

    def parse_article(self, response):
        listed = response.meta["listed"]
        article = extract_article(response.body, response.url, self.fetched_at(),
                                  self.source.selectors.model_dump(exclude_none=True),
                                  _declared(response))
        if not article.content:
            self.store.stats.fail(f"未能提取正文：{response.url}：{'；'.join(article.problems)}")
        yield MentionItem(
            source_id=self.source.id, url=response.meta["canonical"], kind="article",
            title=article.title or listed.title, content=article.content,
            published_at=article.published_at or listed.date, fetched_at=self.fetched_at(),
            author=article.author, origin=article.source, encoding=article.encoding,
            attachments=[{"title": a.title, "url": a.url} for a in article.attachments],
            problems=list(article.problems))

"""Government portals and news sites: column list pages -> article pages, with pagination."""

from __future__ import annotations

from yuqing.crawlers.spiders.base import SourceSpider


class SiteSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            yield self.list_request(url, self.parse_list, depth=1)

    def parse_list(self, response):
        if self.list_ok(response):
            yield from self.follow_list(response, self.parse_article, "列表页")

    def parse_article(self, response):
        listed = response.meta["listed"]
        yield self.article_item(response, "article", listed.title, listed.date)

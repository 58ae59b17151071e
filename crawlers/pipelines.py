"""Item pipeline: hand each mention to the run's store."""

from __future__ import annotations

from yuqing.crawlers.items import MentionItem


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: MentionItem):
        self.crawler.spider.store.save(item)
        return item

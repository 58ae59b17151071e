"""Item pipeline: hand each mention to the run's store.

A mention the database would not take (read-only, full, connection lost) is a failed item of
a failed run, never just a log line: the run's list pages then keep their old validators, so
the next crawl asks for them in full and fetches every article that is still not stored.
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

from yuqing.crawlers.items import MentionItem


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item: MentionItem):
        store = self.crawler.spider.store
        try:
            store.save(item)
        except Exception as exc:  # noqa: BLE001 - any write failure loses this article
            store.stats.store_failed(item.url, exc)
            raise DropItem(f"not stored: {item.url}") from exc
        return item

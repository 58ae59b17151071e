"""Item pipeline: hand each mention to the run's store."""

from __future__ import annotations

from crawlers.items import MentionItem


class StorePipeline:
    def process_item(self, item: MentionItem, spider):
        spider.store.save(item)
        return item

"""Message boards (留言板): a citizen's message, its date, the department's reply and date.

An unanswered message is itself a signal, and its page changes when the reply arrives,
so stored messages without a reply are fetched again on every run.
"""

from __future__ import annotations

import re

from parsel import Selector

from yuqing.crawlers.extract import decode_html, parse_chinese_datetime
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.spiders.base import SourceSpider, declared_charset

_LABEL = re.compile(r"^\s*(留言时间|答复时间|回复时间|答复单位|回复单位|受理单位|办理单位|时间)\s*[:：]\s*")


class BoardSpider(SourceSpider):
    async def start(self):
        for url in self.source.urls:
            yield self.list_request(url, self.parse_list, depth=1)
        for url in self.store.unanswered_messages():
            yield self.item_request(url, self.parse_message, dont_filter=True)

    def parse_list(self, response):
        if self.list_ok(response):
            yield from self.follow_list(response, self.parse_message, "留言列表")

    def parse_message(self, response):
        text, encoding = decode_html(response.body, declared_charset(response))
        page = Selector(text=text)
        sel = self.source.selectors
        fetched = self.fetched_at()

        def field(css: str | None) -> str:
            if not css:
                return ""
            parts = page.css(css).xpath("string(.)").getall()
            return _LABEL.sub("", " ".join(p.strip() for p in parts if p.strip()))

        title = field(sel.title) or (page.css("title::text").get() or "").strip()
        content = field(sel.content)
        if not content:
            self.store.stats.fail(f"留言页未找到留言内容（检查 selectors.content）：{response.url}")
        yield MentionItem(
            source_id=self.source.id, url=response.meta["canonical"], kind="message",
            title=title, content=content,
            published_at=parse_chinese_datetime(field(sel.published_at), fetched),
            fetched_at=fetched, encoding=encoding, reply=field(sel.reply),
            reply_at=parse_chinese_datetime(field(sel.reply_at), fetched),
            reply_department=field(sel.reply_department))

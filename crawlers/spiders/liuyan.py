"""人民网领导留言板: messages to the configured leaders' boards, with the department's reply.

Each run asks every board for its newest messages and pages back only until it meets one
already stored; messages still waiting for an answer are looked up again in the board's
办理中 / 已办理 lists (paging back to the oldest waiting one), so a reply published days later
updates the stored message. The site blocks bursts: requests are spaced,
and a challenge or captcha page stops this source's run at once instead of pressing on
(crawlers/runner.py gives the spider its own delay: `min_delay`, or the source's `delay`).
"""

from __future__ import annotations

from collections import deque
from datetime import timedelta

import scrapy

from yuqing.config.models import LiuyanForum
from yuqing.crawlers import liuyan as api
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.spiders.base import SourceSpider
from yuqing.timeutil import as_aware, fmt, now

# answers the site gives instead of JSON: read in the callback to say what they are (5xx only
# after Scrapy's retries)
ANSWERED_STATUSES = [403, 404, 412, 429, 500, 502, 503, 504, 521]
BACKING_OFF = "被限流（退避中）"
MAX_BACKOFF = timedelta(hours=12)


class LiuyanSpider(SourceSpider):
    min_delay = 2.0                      # seconds between requests: the firewall challenges bursts

    async def start(self):
        pause = self._backing_off()
        if pause:
            self.store.stats.fail(pause)
            return
        self.base = self.source.urls[0].rstrip("/")
        self.waiting = self.store.waiting_messages()     # tid -> fid, stored without a final answer
        # One request at a time, each sent after the last answered: the site wants it slow
        # anyway, and a block seen on one answer stops everything not yet sent.
        self.queue: deque[scrapy.Request] = deque()
        self.blocked = False
        for forum in self.source.forums:
            self.queue.append(self._list(forum, api.STATE_ALL, 0, depth=1))
            waiting = [tid for tid, fid in self.waiting.items() if fid == forum.fid]
            if waiting:
                for state in (api.STATE_DONE, api.STATE_HANDLING):
                    self.queue.append(self._list(forum, state, 0, depth=1, until=min(waiting)))
        for request in self._next():
            yield request

    def _backing_off(self) -> str:
        """After blocks in a row, wait interval × 2^(blocks-1) (at most MAX_BACKOFF) from the
        last one before asking again: a firewall that is pressed keeps its block longer."""
        blocks = []
        for finished, error in self.store.recent_outcomes():
            if not error.startswith("被限流"):
                break
            if not error.startswith(BACKING_OFF) and finished is not None:
                blocks.append(as_aware(finished))
        if not blocks:
            return ""
        wait = min(self.source.interval * 2 ** (len(blocks) - 1), MAX_BACKOFF)
        until = blocks[0] + wait
        if now() >= until:
            return ""
        return (f"{BACKING_OFF}：已连续 {len(blocks)} 次被人民网领导留言板拦截（最近一次 {fmt(blocks[0])}），"
                f"按退避规则暂停到 {fmt(until)}，之后自动重试；如持续被拦截，请调大采集间隔")

    def _next(self):
        if self.queue and not self.blocked:
            yield self.queue.popleft()

    def on_list_error(self, failure):
        super().on_list_error(failure)
        yield from self._next()

    def on_item_error(self, failure):
        super().on_item_error(failure)
        yield from self._next()

    def _list(self, forum: LiuyanForum, state: int, last_item: int, depth: int,
              until: int = 0) -> scrapy.FormRequest:
        return scrapy.FormRequest(
            f"{self.base}{api.LIST_PATH}", formdata=api.list_form(forum.fid, state, last_item),
            headers={"Referer": f"{self.base}/threads/list?fid={forum.fid}",
                     "Accept": "application/json, text/javascript, */*; q=0.01"},
            callback=self.parse_list, errback=self.on_list_error, dont_filter=True,
            meta={"forum": forum, "state": state, "depth": depth, "until": until,
                  "handle_httpstatus_list": ANSWERED_STATUSES})

    def parse_list(self, response):
        forum, state = response.meta["forum"], response.meta["state"]
        try:
            messages = api.parse_list(response.body, response.status, _type(response))
        except api.LiuyanError as exc:
            self._problem(exc)
            yield from self._next()
            return
        self.store.stats.pages_ok += 1
        urls = {m.tid: api.message_url(self.base, m.tid) for m in messages}
        stored = self.store.known(list(urls.values()))
        for message in messages:
            url = urls[message.tid]
            if url in stored and message.tid not in self.waiting:
                continue
            if message.tid in self.waiting and message.status == "未回复":
                continue                 # nothing new about it
            if not _wanted(forum, message):
                continue
            if message.cut_short or message.reply.endswith(api.CUT_SHORT):
                self.queue.appendleft(self._content(message))
            else:
                yield self._item(message)
        self._next_page(response, messages, stored, urls)
        yield from self._next()

    def _next_page(self, response, messages, stored, urls) -> None:
        meta = response.meta
        if not messages or meta["depth"] >= self.source.max_pages:
            return
        oldest = min(m.tid for m in messages)
        if meta["state"] == api.STATE_ALL:
            more = not any(url in stored for url in urls.values())
        else:
            more = oldest > meta["until"]
        if more:
            self.queue.append(self._list(meta["forum"], meta["state"], oldest, meta["depth"] + 1,
                                         meta["until"]))

    def _content(self, message: api.LiuyanMessage) -> scrapy.Request:
        return scrapy.Request(
            f"{self.base}{api.CONTENT_PATH}", method="POST", body=api.content_body(message.tid),
            headers={"Content-Type": "application/json;charset=UTF-8",
                     "Referer": api.message_url(self.base, message.tid)},
            callback=self.parse_content, errback=self.on_item_error, dont_filter=True,
            meta={"message": message, "handle_httpstatus_list": ANSWERED_STATUSES})

    def parse_content(self, response):
        message: api.LiuyanMessage = response.meta["message"]
        try:
            text, reply = api.parse_content(response.body, response.status, _type(response))
        except api.LiuyanError as exc:
            self._problem(exc)
            if not self.blocked:         # keep what the list showed: cut short, but not lost
                yield self._item(message)
            yield from self._next()
            return
        message.content = text or message.content
        if reply is not None:
            message.reply, message.reply_at = reply[0], reply[1] or message.reply_at
            message.reply_department = reply[2] or message.reply_department
        yield self._item(message)
        yield from self._next()

    def _item(self, m: api.LiuyanMessage) -> MentionItem:
        details = {"留言对象": m.forum, "fid": m.fid, "留言类型": m.message_type,
                   "领域": m.domain, "办理状态": m.site_status}
        if m.satisfaction:
            details["满意度"] = m.satisfaction
        if m.origin:
            details["留言人所在地"] = m.origin
        return MentionItem(
            source_id=self.source.id, url=api.message_url(self.base, m.tid), kind="message",
            title=m.title, content=m.content, published_at=m.published_at,
            fetched_at=self.fetched_at(), author=m.author, origin=m.forum, reply=m.reply,
            reply_at=m.reply_at, reply_department=m.reply_department, channel="liuyan",
            external_id=str(m.tid), status=m.status,
            details={k: v for k, v in details.items() if v not in ("", None, 0)})

    def _problem(self, exc: api.LiuyanError) -> None:
        self.store.stats.fail(str(exc))
        if str(exc).startswith("被限流"):
            # pressing on would only deepen the block: stop, the next run tries again
            self.blocked = True


def _wanted(forum: LiuyanForum, message: api.LiuyanMessage) -> bool:
    """A city board's message counts only when it names the district (forum.only)."""
    if not forum.only:
        return True
    text = f"{message.title}\n{message.content}\n{message.origin}"
    return any(word in text for word in forum.only)


def _type(response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1").lower()

"""Channels (渠道): where the public said something, as readers name it.

A mention's `channel` is one of these codes. Crawled sources get theirs from config (or
from their kind and address), imports from the file they came from; the digest, the weekly
report and the dashboard show the Chinese label.
"""

from __future__ import annotations

LABELS = {
    "gov": "政府网站",
    "website": "网站",
    "news": "新闻网站",
    "board": "留言板",
    "liuyan": "人民网领导留言板",
    "hotline": "12345热线",
    "weibo": "微博",
    "wechat": "微信",
    "feed": "订阅源",
    "douyin": "抖音",
    "kuaishou": "快手",
    "bilibili": "B站",
    "xiaohongshu": "小红书",
    "tieba": "贴吧",
    "zhihu": "知乎",
}


def label(channel: str) -> str:
    return LABELS.get(channel, channel or "其他")


def channel_for_source(kind: str, url: str, authority: str = "") -> str:
    """A crawled source's channel when its config does not name one."""
    if kind == "liuyan":
        return "liuyan"
    if kind == "board":
        return "board"
    if kind == "feed":
        lowered = url.lower()
        if "/weibo/" in lowered or "weibo.com" in lowered:
            return "weibo"
        if "/wechat/" in lowered or "/feeds/" in lowered or "mp.weixin" in lowered:
            return "wechat"
        return "feed"
    return {"official": "gov", "media": "news"}.get(authority, "website")


def imported_channel(source_id: str) -> str:
    """The channel of an import's source id (import-12345, mediacrawler-<platform>), or ""."""
    if source_id.startswith("import-12345"):
        return "hotline"
    if source_id.startswith("mediacrawler-"):
        return source_id.removeprefix("mediacrawler-")
    return ""

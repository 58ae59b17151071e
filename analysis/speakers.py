"""Who said a mention, as readers name it: the channel (渠道) and the speaker.

A feed that merges citizens' posts is named after the account that runs it (微博·芝罘发布);
its posts are the posters' own words, so each is labelled "微博 @作者", never the feed's name,
or citizens' complaints read as if 芝罘发布 had said them.
"""

from __future__ import annotations

from yuqing.channels import label
from yuqing.config.models import Config, Source


def channel_of(source: Source | None) -> str:
    """The channel (渠道) readers name: 留言板, 微博, 微信, 新闻网站, 政府网站."""
    if source is None:
        return "其他"
    if source.kind == "board":
        return "留言板"
    if source.kind == "liuyan":
        return label("liuyan")
    text = f"{source.name} {' '.join(source.urls)}".lower()
    if "微博" in text or "weibo" in text:
        return "微博"
    if "微信" in text or "公众号" in text or "weixin" in text or "wechat" in text:
        return "微信"
    if source.kind == "feed":
        return "订阅源"
    return "政府网站" if source.authority == "official" else "新闻网站"


def source_label(mention, source: Source | None, channel: str) -> str:
    """Who said it, as a reader names it: 微博 @作者 for a post, never the account the feed
    is named after (a feed merging citizens' posts is not 芝罘发布 speaking)."""
    author = (mention.author or "").strip()
    # imported items (12345, MediaCrawler) have no configured source: their channel names them
    name = source.name if source is not None else (
        label(mention.channel) if getattr(mention, "channel", "") else mention.source_id)
    if channel in ("微博", "微信", "订阅源") and mention.kind == "post":
        if author:
            return f"{channel} @{author}"
        # a Weibo feed may merge many posters: without one, say only where it was posted
        return channel if channel == "微博" else name
    if channel == "新闻网站" and (mention.origin or "").strip():
        return (mention.origin or "").strip()
    return name


class Speakers:
    """`speakers(mention)` -> its label; built once per config (for templates)."""

    def __init__(self, config: Config):
        self.sources = {s.id: s for s in config.sources}
        self.channels = {s.id: channel_of(s) for s in config.sources}

    def channel(self, mention) -> str:
        # imported items (12345, MediaCrawler) have no configured source: they carry their channel
        return self.channels.get(mention.source_id) or label(getattr(mention, "channel", ""))

    def __call__(self, mention) -> str:
        return source_label(mention, self.sources.get(mention.source_id), self.channel(mention))

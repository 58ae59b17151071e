"""The feed spider on real saved feeds (../shared/fixtures/real/feeds): WeChat feeds carry only
title, link and date, so every item is followed for its text; RSSHub Weibo items are whole
posts, stored as they are. Skipped on a fresh clone without the shared fixtures."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import scrapy
from scrapy.http import XmlResponse

from yuqing.config.models import Source
from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.spiders.feed import FeedSpider
from yuqing.crawlers.store import CrawlStore

FEEDS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real" / "feeds"
pytestmark = pytest.mark.skipif(not FEEDS.is_dir(), reason=f"real fixtures not found at {FEEDS}")


def _parse(db, name: str, url: str) -> list:
    source = Source(id="feed", name="订阅源", kind="feed", urls=[url])
    spider = FeedSpider(source=source, store=CrawlStore(db, "feed", "订阅源", "feed"))
    response = XmlResponse(url=url, body=(FEEDS / name).read_bytes(),
                           request=scrapy.Request(url, meta={"conditional": True}))
    return list(spider.parse_feed(response)), spider.store.stats


@pytest.mark.parametrize("name", sorted(p.name for p in FEEDS.glob("wechat_*.xml")) if FEEDS.is_dir() else [])
def test_wechat_title_only_items_are_followed(db, name):
    label = json.loads((FEEDS / name.replace(".xml", ".json")).read_text(encoding="utf-8"))
    out, stats = _parse(db, name, "https://wechat-feeds.example.org/" + name)
    assert stats.items_failed == 0
    assert len(out) == label["n_items"] and all(isinstance(r, scrapy.Request) for r in out)
    first = out[0]
    assert first.url == label["first_item"]["link"]
    assert first.meta["title"] == label["first_item"]["title"]
    assert first.meta["published"] == parsedate_to_datetime(label["first_item"]["pubDate"])
    assert first.meta["listed_host"] == "mp.weixin.qq.com"     # the item's own site is allowed


def test_rsshub_weibo_posts_are_stored_inline(db):
    label = json.loads((FEEDS / "weibo_rsshub_1935396210.json").read_text(encoding="utf-8"))
    out, stats = _parse(db, "weibo_rsshub_1935396210.xml", "http://127.0.0.1:1200/weibo/user/1935396210")
    assert stats.items_failed == 0
    assert [type(o) for o in out] == [MentionItem] * label["n_items"]
    for item, expected in zip(out, label["items"]):
        assert item.url == expected["link"] and item.author == expected["author"]
        assert item.published_at == parsedate_to_datetime(expected["pubDate"])
        assert isinstance(item.published_at, datetime) and item.published_at.tzinfo is not None
        assert item.content.replace("\n", "").startswith(expected["title"][:16])

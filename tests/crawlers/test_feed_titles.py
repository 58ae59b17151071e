"""Weibo posts keep their own title (the opening words) and their poster as author on every
path, including a title-less short post whose link leads to another site's article: the
followed page gives the text, never the title "X的微博", the page's headline or its byline."""

from __future__ import annotations

from sqlalchemy import select

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.db import Database
from yuqing.storage.models import Mention

from edgesites import FAST, write_config

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>芝罘发布的微博</title><link>https://weibo.com/5634519934/</link>
<description>芝罘发布 - Powered by RSSHub</description>
<item>
<title></title>
<description><![CDATA[只楚街道暖气不热，大家看看这篇报道]]></description>
<link>{elsewhere}/landing.html</link>
<guid isPermaLink="false">{elsewhere}/landing.html</guid>
<pubDate>Sat, 21 Nov 2026 03:40:00 GMT</pubDate>
<author>所城里的阿杰</author>
</item>
<item>
<title>所城里的阿杰的微博</title>
<description><![CDATA[所城社区这边暖气也不热，室温12度]]></description>
<link>{zhifu}/weibo/status/4990001</link>
<guid isPermaLink="false">{zhifu}/weibo/status/4990001</guid>
<pubDate>Sat, 21 Nov 2026 04:10:00 GMT</pubDate>
<author>所城里的阿杰</author>
</item>
</channel></rss>
"""
STATUS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>所城里的阿杰的微博_微博</title></head>
<body><div class="WB_info"><a>所城里的阿杰</a></div>
<div class="WB_text">所城社区这边暖气也不热，室温12度，电热毯都开上了，今晚还要降温，怎么过？</div></body></html>"""
SOURCES = """\
sources:
  - id: weibo
    name: 微博·芝罘发布
    kind: feed
    authority: official
    urls: ["{zhifu}/feeds/weibo_short.xml"]
    follow_hosts: ["127.0.0.7"]
    allow_private: true
"""


def test_followed_weibo_posts_keep_their_opening_words_and_poster(edge_sites, tmp_path):
    zhifu, elsewhere = edge_sites.url("zhifu"), edge_sites.url("elsewhere")
    edge_sites.zhifu.overrides["/feeds/weibo_short.xml"] = FEED.format(
        zhifu=zhifu, elsewhere=elsewhere).encode()
    edge_sites.zhifu.overrides["/weibo/status/4990001"] = STATUS.encode()
    directory = write_config(tmp_path / "cfg", SOURCES.format(zhifu=zhifu))
    db = Database(f"sqlite:///{tmp_path / 'feed.db'}")
    db.migrate()
    [summary] = crawl_in_subprocess(directory, db.url, crawl=FAST)
    assert summary.errors == [] and summary.items_new == 2
    with db.session() as s:
        posts = {m.url: m for m in s.scalars(select(Mention))}
    off_site = posts[f"{elsewhere}/landing.html"]
    assert off_site.title == "只楚街道暖气不热，大家看看这篇报道"      # not the page's headline
    assert off_site.author == "所城里的阿杰"
    assert off_site.content.startswith("本页面位于另一个网站")            # the linked text
    followed = posts[f"{zhifu}/weibo/status/4990001"]
    assert followed.title == "所城社区这边暖气也不热，室温12度"         # never "…的微博"
    assert followed.author == "所城里的阿杰"
    assert followed.content.startswith("所城社区这边暖气也不热，室温12度，电热毯都开上了")
    assert not any("的微博" in m.title for m in posts.values())
    db.dispose()

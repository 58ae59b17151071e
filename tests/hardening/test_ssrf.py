"""Item 1 (SSRF): a hostile site or feed must not steer the collector to another host — not
through a link whose path or fragment ends in /robots.txt, not through a feed item's link,
and not to an address that is not globally routable (100.64.0.0/10 holds Alibaba Cloud's
metadata service). Real crawls in a child process against real loopback servers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.crawlers.urls import is_private_host, is_public_address, is_robots_url
from yuqing.storage.db import Database
from yuqing.storage.models import Mention

from tests.crawlers.edgesites import FAST, write_config
from tests.hardening.hostile_site import pair

ARTICLE = ("<html><head><title>{t}</title></head><body><h1>{t}</h1><div class='content'><p>"
           + "芝罘区政务服务中心延长周末办理时间，方便上班族办理业务。" * 8 + "</p></div></body></html>")


@pytest.fixture
def sites():
    site, inner = pair()
    yield site, inner
    site.stop()
    inner.stop()


def _crawl(tmp_path, sources: str) -> tuple[list, list[Mention]]:
    db = Database(f"sqlite:///{tmp_path / 'crawl.db'}")
    db.migrate()
    try:
        summaries = crawl_in_subprocess(write_config(tmp_path / "cfg", sources), db.url, crawl=FAST)
        with db.session() as s:
            mentions = list(s.scalars(select(Mention)))
            s.expunge_all()
        return summaries, mentions
    finally:
        db.dispose()


def test_robots_suffix_in_path_or_fragment_does_not_leave_the_site(sites, tmp_path):
    site, inner = sites
    site.page("/list.html", f"""<html><body><ul class="news-list">
      <li><a href="{inner.base}/secret#/robots.txt">通知公告：关于周末延时服务的说明</a></li>
      <li><a href="{inner.base}/secret?x=/robots.txt">通知公告：关于周末延时服务的补充</a></li>
      <li><a href="{inner.base}/a/robots.txt">通知公告：关于周末延时服务的再补充</a></li>
      <li><a href="/art/1.html">芝罘区政务服务中心延长周末办理时间</a></li></ul></body></html>""")
    site.page("/art/1.html", ARTICLE.format(t="芝罘区政务服务中心延长周末办理时间"))
    summaries, mentions = _crawl(tmp_path, f"""\
        sources:
          - id: hostile
            name: 恶意站点
            kind: site
            urls: ["{site.base}/list.html"]
            allow_private: true
            max_pages: 1
        """)
    assert inner.requests == {}, "the collector was steered to another host"
    assert [m.url for m in mentions] == [f"{site.base}/art/1.html"]
    errors = "\n".join(summaries[0].errors)
    assert f"拒绝离开本站：{inner.base}/secret#/robots.txt" in errors


def test_feed_item_links_to_another_host_are_not_followed(sites, tmp_path):
    site, inner = sites
    site.page("/feed.xml", f"""<?xml version="1.0" encoding="utf-8"?>
      <rss version="2.0"><channel><title>恶意订阅源</title>
      <item><title>只有标题的条目</title><link>{inner.base}/secret</link>
      <pubDate>Fri, 20 Nov 2026 08:00:00 +0800</pubDate></item>
      </channel></rss>""", content_type="application/rss+xml; charset=utf-8")
    summaries, mentions = _crawl(tmp_path, f"""\
        sources:
          - id: feed
            name: 恶意订阅源
            kind: feed
            urls: ["{site.base}/feed.xml"]
            allow_private: true
        """)
    assert inner.requests == {}
    # nothing lost: the item itself is kept, with what the feed said
    assert [(m.url, m.title) for m in mentions] == [(f"{inner.base}/secret", "只有标题的条目")]
    assert "订阅源条目链接指向未允许的站点" in "\n".join(summaries[0].errors)


def test_feed_may_follow_hosts_the_source_names(sites, tmp_path):
    site, inner = sites
    inner.page("/art/2.html", ARTICLE.format(t="芝罘区政务服务中心延长周末办理时间"))
    site.page("/feed.xml", f"""<?xml version="1.0" encoding="utf-8"?>
      <rss version="2.0"><channel><title>订阅源</title>
      <item><title>芝罘区政务服务中心延长周末办理时间</title><link>{inner.base}/art/2.html</link>
      </item></channel></rss>""", content_type="application/rss+xml; charset=utf-8")
    host = inner.server_address[0]
    _, mentions = _crawl(tmp_path, f"""\
        sources:
          - id: feed
            name: 订阅源
            kind: feed
            urls: ["{site.base}/feed.xml"]
            allow_private: true
            follow_hosts: ["{host}"]
        """)
    assert inner.requests["/art/2.html"] == 1
    assert "上班族" in mentions[0].content


@pytest.mark.parametrize("address,public", [
    ("100.100.100.200", False),        # Alibaba Cloud metadata (shared address space)
    ("169.254.169.254", False), ("127.0.0.1", False), ("10.1.2.3", False), ("0.0.0.0", False),
    ("192.168.1.1", False), ("198.18.0.1", False), ("240.0.0.1", False), ("224.0.0.251", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:10.0.0.1", False),
    ("::ffff:100.100.100.200", False), ("64:ff9b::a9fe:a9fe", False), ("2002:a00:1::", False),
    ("114.114.114.114", True), ("2400:3200::1", True), ("::ffff:114.114.114.114", True),
])
def test_only_globally_routable_addresses_are_public(address, public):
    assert is_public_address(address) is public


def test_carrier_grade_nat_host_is_refused_in_a_real_crawl(tmp_path):
    assert is_private_host("100.100.100.200")
    summaries, mentions = _crawl(tmp_path, """\
        sources:
          - id: metadata
            name: 伪装成信息源的云元数据服务
            kind: site
            urls: ["http://100.100.100.200/latest/meta-data/"]
        """)
    assert mentions == []
    assert summaries[0].status == "failed"
    assert summaries[0].errors[0].startswith("拒绝访问内网或本机地址")


@pytest.mark.parametrize("url,robots", [
    ("http://a.example/robots.txt", True), ("http://a.example/x#/robots.txt", False),
    ("http://a.example/x?/robots.txt", False), ("http://a.example/x/robots.txt", False),
    ("http://a.example/robots.txt?x=1", False), ("http://a.example/robots.txt#x", False),
])
def test_robots_url_is_exactly_the_root_file(url, robots):
    assert is_robots_url(url) is robots


def test_article_ids_named_like_tracking_parameters_stay_apart(sites, tmp_path):
    """Item 15: fromId, shareId, sceneId are article ids; utm_*, spm and from are tracking."""
    site, _ = sites
    links = ["/art.php?fromId=101", "/art.php?fromId=102", "/art.php?shareId=7",
             "/art.php?sceneId=9", "/art.php?fromId=101&utm_source=wx&spm=a.b&from=timeline"]
    site.page("/list.html", '<html><body><ul class="news-list">' + "".join(
        f'<li><a href="{u}">芝罘区政务公开第{i}期：民生实事办理进展</a></li>' for i, u in enumerate(links))
        + "</ul></body></html>")
    for i, query in enumerate(["fromId=101", "fromId=102", "shareId=7", "sceneId=9"]):
        site.page(f"/art.php?{query}", ARTICLE.format(t=f"芝罘区政务公开第{i}期：民生实事办理进展"))
    _, mentions = _crawl(tmp_path, f"""\
        sources:
          - id: hostile
            name: 参数站点
            kind: site
            urls: ["{site.base}/list.html"]
            allow_private: true
            max_pages: 1
        """)
    assert sorted(m.url.split("?", 1)[1] for m in mentions) == \
        ["fromId=101", "fromId=102", "sceneId=9", "shareId=7"]

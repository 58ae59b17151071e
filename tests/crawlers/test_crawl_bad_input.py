"""Bad input from the real web: every case ends in a clear recorded outcome, and nothing else
in the same run is lost. One crawl of five sources over tests/sample_sites/."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from yuqing.config import load_config
from yuqing.crawlers.health import source_problems
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, Source, SourceRun

from edgesites import IMPATIENT, write_config

SOURCES = """\
sources:
  - id: street
    name: 向阳街道办事处网站
    kind: site
    urls: ["{base}/col/index.html"]
    allow_private: true
    max_pages: 3
  - id: weibo
    name: 微博·向阳街道
    kind: feed
    urls: ["{base}/feeds/weibo.xml"]
    allow_private: true
  - id: mentions
    name: 网友提及·向阳街道
    kind: feed
    urls: ["{base}/feeds/broken_item.xml"]
    allow_private: true
  - id: broken-feed
    name: 微博·已失效账号
    kind: feed
    urls: ["{base}/feeds/not_xml.xml"]
    allow_private: true
  - id: intranet
    name: 未允许内网的信息源
    kind: site
    urls: ["{base}/col/index.html"]
"""


@pytest.fixture(scope="module")
def crawled(_edge_sites, tmp_path_factory):
    """One crawl for the whole module (SQLite): each test reads its own part of the outcome."""
    _edge_sites.reset()
    directory = write_config(tmp_path_factory.mktemp("cfg"), SOURCES.format(base=_edge_sites.url()))
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('db') / 'crawl.db'}")
    db.migrate()
    summaries = {s.source_id: s for s in crawl_in_subprocess(directory, db.url, crawl=IMPATIENT)}
    with db.session() as s:
        mentions = {m.url.removeprefix(_edge_sites.url()): m for m in s.scalars(select(Mention))}
        for m in mentions.values():
            s.expunge(m)
    requests = {site: Counter(srv.requests) for site, srv in _edge_sites.servers.items()}
    agents = set(_edge_sites.zhifu.user_agents)
    yield Crawled(summaries, mentions, directory, db, requests, agents)
    db.dispose()


@dataclass
class Crawled:
    summaries: dict
    mentions: dict
    directory: str
    db: Database
    requests: dict
    agents: set


def _errors(summary) -> str:
    return "\n".join(summary.errors)


def test_site_keeps_every_good_page_and_records_each_bad_one(crawled, _edge_sites):
    edge_sites, mentions = _edge_sites, crawled.mentions
    street = crawled.summaries["street"]
    good = {"/art/utf8_notice.html", "/art/gbk_news.html", "/art/lying_charset.html",
            "/art/malformed.html", "/art/page2_article.html", "/art/page2_more.html",
            "/art/page2_last.html"}
    assert good <= set(mentions)
    assert street.status == "partial" and street.items_new == len(good)
    errors = _errors(street)
    base = edge_sites.url()
    for expected in (f"{base}/art/missing.html：HTTP 404", f"{base}/art/error.html：HTTP 500",
                     f"{base}/art/slow.html：超时", f"{base}/art/huge.html：页面超过大小上限",
                     f"拒绝离开本站：{edge_sites.url('elsewhere')}/landing.html（由 {base}/art/away.html 跳转）",
                     f"{base}/private/draft.html：robots.txt 不允许采集"):
        assert expected in errors
    assert street.items_failed == 6
    # robots.txt and the off-site target were honoured, not merely recorded
    assert crawled.requests["zhifu"]["/private/draft.html"] == 0
    assert crawled.requests["elsewhere"]["/landing.html"] == 0
    assert crawled.requests["zhifu"]["/art/error.html"] == 2          # one retry, then given up


def test_pages_decode_whatever_their_charset_claims(crawled):
    mentions = crawled.mentions
    gbk = mentions["/art/gbk_news.html"]
    assert gbk.title == "向阳街道老旧小区改造项目全部完工" and gbk.encoding == "gb18030"
    assert gbk.content.startswith("记者从向阳街道获悉，今年实施的5个老旧小区改造项目已全部完工")
    lying = mentions["/art/lying_charset.html"]
    assert lying.encoding == "utf-8" and "“邻里节”文艺汇演在街道文化广场举行" in lying.content
    broken = mentions["/art/malformed.html"]
    assert broken.title == "关于向阳街道辖区临时停电的通知"
    assert broken.content.startswith("因供电线路检修，定于11月20日8:30至17:00")
    assert "特此通知。" in broken.content
    assert broken.published_at == datetime(2026, 11, 17, 0, 45, tzinfo=timezone.utc)


def test_js_pager_is_followed(crawled):
    assert crawled.mentions["/art/page2_article.html"].title == "向阳街道为辖区独居老人安装烟感报警器"


def test_feed_title_only_item_follows_its_link_and_inline_posts_do_not(crawled):
    summaries, mentions = crawled.summaries, crawled.mentions
    assert summaries["weibo"].errors == []
    assert summaries["weibo"].status == "ok" and summaries["weibo"].items_new == 2
    followed = mentions["/art/wx_article.html"]
    assert followed.kind == "post"
    assert followed.content.startswith("11月21日，向阳街道首家社区“暖心食堂”在海岸路社区正式开张")
    inline = next(m for url, m in mentions.items() if url.endswith("/Q1a2b3c4d"))
    assert inline.content.startswith("【温馨提示】近期气温骤降") and inline.author == "向阳街道"
    assert inline.published_at == datetime(2026, 11, 20, 23, 15, tzinfo=timezone.utc)


def test_feed_with_one_broken_item_keeps_the_others(crawled):
    summaries, mentions = crawled.summaries, crawled.mentions
    feed = summaries["mentions"]
    assert feed.status == "partial" and feed.items_new == 2 and feed.items_failed == 1
    assert "订阅源中有一条缺少链接：这一条没有链接" in _errors(feed)
    assert any(m.title == "海岸路小区暖气不热" for m in mentions.values())
    assert any(m.title == "大海阳路夜市占道经营" for m in mentions.values())


def test_feed_that_is_not_xml_fails_the_source(crawled):
    feed = crawled.summaries["broken-feed"]
    assert feed.status == "failed" and feed.items_seen == 0
    assert "订阅源不是有效的 RSS/Atom" in _errors(feed)
    with crawled.db.session() as s:
        src = s.get(Source, "broken-feed")
        assert src.consecutive_failures == 1 and "订阅源不是有效的 RSS/Atom" in src.last_error


def test_private_address_refused_without_allow_private(crawled, _edge_sites):
    edge_sites = _edge_sites
    intranet = crawled.summaries["intranet"]
    assert intranet.status == "failed" and intranet.items_seen == 0
    assert f"拒绝访问内网或本机地址（信息源未设置 allow_private）：{edge_sites.url()}/col/index.html" \
        in _errors(intranet)
    with crawled.db.session() as s:
        run = s.scalars(select(SourceRun).where(SourceRun.source_id == "intranet")).one()
        assert run.status == "failed" and run.errors == intranet.errors


def test_a_second_failed_run_reaches_the_duty_officer(crawled):
    """Runs last in this module: it adds a run to the shared database."""
    crawl_in_subprocess(crawled.directory, crawled.db.url, ["broken-feed", "intranet"], crawl=IMPATIENT)
    problems = {p.source_id: p for p in source_problems(crawled.db, load_config(crawled.directory))}
    assert set(problems) == {"broken-feed", "intranet"}
    assert problems["broken-feed"].problem.startswith("连续 2 次采集失败")
    assert problems["broken-feed"].name == "微博·已失效账号"


def test_crawler_says_who_it_is(crawled):
    agents = crawled.agents
    assert agents and all(a.startswith("yuqing/") and "+https://" in a for a in agents)

"""The bundled sample sites: served correctly, realistic enough, and scripted as documented."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pytest
import requests

from yuqing.config import load_config
from yuqing.sample_sites import SampleSites, scripted_events
from yuqing.timeutil import SHANGHAI

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=SHANGHAI)
ROOT = Path(__file__).resolve().parents[1]
EVENT_PAIRS = {("heating", "zhichu"), ("property", "xingfu"), ("safety", "tongshen"), ("cityorder", "baishi")}


@pytest.fixture(scope="module")
def sites():
    with SampleSites(now=NOW) as running:
        yield running


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module")
def config():
    return load_config("default")


def _list_pages(sites) -> list[str]:
    u = sites.urls
    return ([f"{u['portal']}/", f"{u['news']}/", f"{u['board']}/", f"{u['weibo']}/weibo/user/5634519934"]
            + [f"{u['portal']}/col/{c}/{p}" for c in ("zfyw", "tzgg") for p in ("index.html", "index_1.html", "index_2.html")]
            + [f"{u['news']}/yantai/{p}" for p in ("index.html", "index_2.html", "index_3.html")]
            + [f"{u['board']}/liuyan/list_{n}.html" for n in (1, 2, 3, 4)])


def test_every_list_page_feed_and_item_is_served(sites, http):
    for url in _list_pages(sites) + [item.url for item in sites.items()]:
        response = http.get(url)
        assert response.status_code == 200, url
        assert response.content, url


def test_item_counts_and_urls(sites):
    items = sites.items()
    counts = Counter(item.site for item in items)
    assert 90 <= counts["portal"] <= 110
    assert 40 <= counts["news"] <= 60
    assert 50 <= counts["weibo"] <= 70
    assert 45 <= counts["board"] <= 65
    assert len({item.url for item in items}) == len(items)
    for item in items:
        assert item.url.startswith(sites.urls[item.site] + "/")
        assert item.published_at <= NOW and item.published_at.tzinfo is not None


def test_pagination_has_next_links(sites, http):
    portal = http.get(sites.urls["portal"] + "/col/zfyw/index.html").text
    assert 'href="index_1.html" class="next">下一页' in portal
    tree = lxml.html.fromstring(portal)
    assert len(tree.cssselect("ul.list li a")) == 20
    news = http.get(sites.urls["news"] + "/yantai/index.html").content.decode("gb18030")
    assert '<a href="index_2.html">下一页</a>' in news
    board = http.get(sites.urls["board"] + "/liuyan/list_1.html").text
    assert '<a href="list_2.html">下一页</a>' in board


def test_news_site_serves_gbk_bytes(sites, http):
    item = next(i for i in sites.items() if i.site == "news" and i.event_id == "heating-zhichu")
    body = http.get(item.url).content
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gb18030")
    assert '<meta charset="gb2312">' in text
    assert f'<h1 class="title">{item.title}</h1>' in text
    assert item.title == "只楚街道多个小区居民反映暖气不热"


def test_portal_article_furniture(sites, http):
    item = next(i for i in sites.items() if i.site == "portal" and i.attachment)
    tree = lxml.html.fromstring(http.get(item.url).content)
    assert tree.cssselect("h1")[0].text_content() == "芝罘区人民政府"
    assert tree.cssselect("div.article-title")[0].text_content() == item.title
    assert tree.cssselect('meta[name="ArticleTitle"]')[0].get("content") == item.title
    assert tree.cssselect('meta[name="PubDate"]')[0].get("content") == f"{item.published_at:%Y-%m-%d %H:%M}"
    assert f"发布时间：{item.published_at:%Y-%m-%d %H:%M}" in tree.cssselect("div.article-info")[0].text_content()
    assert [p.text_content() for p in tree.cssselect("#zoom p")] == item.paragraphs
    link = tree.cssselect("div.attachment a")[0]
    assert link.text_content() == item.attachment
    pdf = http.get(sites.urls["portal"] + link.get("href"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_conditional_get_gives_304(sites, http):
    for url in (sites.urls["portal"] + "/col/zfyw/index.html", sites.urls["weibo"] + "/weibo/user/5634519934",
                sites.urls["board"] + "/liuyan/list_1.html", sites.urls["news"] + "/yantai/index.html"):
        first = http.get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert http.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert http.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert http.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
        older = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert http.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_robots_and_404(sites, http):
    for site, base in sites.urls.items():
        robots = http.get(base + "/robots.txt")
        assert robots.status_code == 200 and "Disallow: /search" in robots.text, site
        missing = http.get(base + "/no/such/page.html")
        assert missing.status_code == 404 and b"404" in missing.content, site


def test_feed_is_rss_with_china_dates(sites, http):
    response = http.get(sites.urls["weibo"] + "/weibo/user/5634519934")
    assert "+0800</pubDate>" in response.text and "GMT</pubDate>" in response.text
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert 50 <= len(items) <= 70
    for entry in items:
        assert parsedate_to_datetime(entry.findtext("pubDate")).tzinfo is not None
        assert entry.findtext("link").startswith(sites.urls["weibo"] + "/weibo/status/")
        assert entry.findtext("description")
    authors = {entry.findtext("author") for entry in items}
    assert "芝罘发布" in authors and len(authors) > 5


def test_board_selectors_from_demo_config(sites, http):
    board = load_config("demo").source("sample-board").selectors
    item = next(i for i in sites.items() if i.event_id == "heating-zhichu" and i.site == "board" and i.reply)
    tree = lxml.html.fromstring(http.get(item.url).content)
    first = lambda css: tree.cssselect(css)[0].text_content()  # noqa: E731
    assert first(board.title) == item.title
    assert first(board.content) == item.text
    assert first(board.published_at) == f"留言时间：{item.published_at:%Y-%m-%d %H:%M}"
    assert first(board.reply) == item.reply.text
    assert first(board.reply_at) == f"答复时间：{item.reply.at:%Y-%m-%d %H:%M}"
    assert first(board.reply_department) == "答复单位：只楚街道办事处"
    unanswered = next(i for i in sites.items() if i.event_id == "unanswered-board")
    tree = lxml.html.fromstring(http.get(unanswered.url).content)
    assert not tree.cssselect(board.reply) and "未回复" in tree.cssselect(board.status)[0].text_content()
    listing = lxml.html.fromstring(http.get(sites.urls["board"] + "/liuyan/list_1.html").content)
    assert len(listing.cssselect(board.list_links)) == 15


def test_scripted_events_are_recent_and_as_documented(sites):
    events = {e.id: e for e in sites.events()}
    assert set(events) == {"heating-zhichu", "elevator-xingfu", "gas-explosion", "unanswered-board"}
    served = {item.url: item for item in sites.items()}
    heating = events["heating-zhichu"]
    assert heating.sites == {"board": 12, "weibo": 8, "news": 2}
    for url in heating.urls:
        assert NOW - timedelta(hours=24) <= served[url].published_at <= NOW
        assert served[url].event_id == "heating-zhichu"
    hours = sorted((NOW - served[u].published_at).total_seconds() / 3600 for u in heating.urls)
    assert sum(h < 6 for h in hours) > sum(h >= 18 for h in hours)       # increasing towards now
    board = [served[u] for u in heating.urls if served[u].site == "board"]
    assert sum(not m.answered for m in board) >= 9
    assert len(events["elevator-xingfu"].urls) == 5
    assert all(NOW - timedelta(days=3) <= served[u].published_at for u in events["elevator-xingfu"].urls)
    gas = served[events["gas-explosion"].urls[0]]
    assert gas.site == "news" and timedelta(hours=5) < NOW - gas.published_at < timedelta(hours=7)
    old = sorted((NOW - served[u].published_at).days for u in events["unanswered-board"].urls)
    assert old == [8, 10] and not any(served[u].answered for u in events["unanswered-board"].urls)
    # only the scripted messages stay unanswered for more than five days
    stale = [i for i in served.values() if i.site == "board" and not i.answered
             and NOW - i.published_at > timedelta(days=5)]
    assert {i.event_id for i in stale} == {"unanswered-board"}
    # the module-level function describes the same events
    assert [e.id for e in scripted_events(NOW, sites.urls)] == list(events)
    assert scripted_events(NOW, sites.urls)[0].urls == heating.urls


def test_ordinary_items_span_four_weeks(sites):
    ordinary = [i for i in sites.items() if i.event_id is None]
    oldest = min(i.published_at for i in ordinary)
    assert NOW - timedelta(days=29) <= oldest <= NOW - timedelta(days=26)
    per_day = Counter((NOW - i.published_at).days for i in ordinary)
    assert len(per_day) >= 26
    negatives = Counter(((NOW - i.published_at).days, i.topic) for i in ordinary if i.negative)
    assert max(negatives.values()) <= 2                                    # baseline noise, never clustered


def _topics(config, text: str) -> set[str]:
    found = set()
    for topic in config.topics:
        rule = topic.rule
        if any(w in text for w in rule.exclude) or not any(w in text for w in rule.subject):
            continue
        if rule.event and not any(w in text for w in rule.event):
            continue
        found.add(topic.id)
    return found


def _places(config, text: str) -> set[str]:
    return {p.id for p in config.places
            if any(n in text for n in [p.name, *p.aliases, *(c.name for c in p.communities)])}


def test_keyword_rules_match_events_and_not_the_noise(sites, config):
    critical = config.settings.detection.critical_words
    for item in sites.items():
        text = f"{item.title}\n{item.text}"
        topics, places = _topics(config, text), _places(config, text)
        if item.event_id:
            assert item.topic in topics and item.place in places, (item.event_id, item.title)
        else:
            # a critical word in background news must sit in a drill or prevention item,
            # which detection's critical_exclude keeps from warning
            if [w for w in critical if w in text]:
                excluded = config.settings.detection.critical_exclude
                assert [w for w in excluded if w in text], item.title
            if NOW - item.published_at < timedelta(days=14):
                assert not {(t, p) for t in topics for p in places} & EVENT_PAIRS, item.title
    gas = next(i for i in sites.items() if i.event_id == "gas-explosion")
    assert "爆炸" in gas.text and "燃气" in gas.text


def test_reprints_copy_portal_articles(sites):
    items = sites.items()
    by_url = {i.url: i for i in items}
    reprints = [i for i in items if i.site == "news" and i.reprint_of]
    assert 3 <= len(reprints) <= 6
    for item in reprints:
        original = by_url[item.reprint_of]
        assert original.site == "portal" and item.published_at > original.published_at
        assert item.text != original.text and original.paragraphs[-1] in item.text


def test_dates_move_with_now_but_content_does_not():
    a = SampleSites(now=NOW, port=8780).items()
    b = SampleSites(now=NOW + timedelta(days=3), port=8780).items()
    assert Counter((i.site, i.event_id) for i in a) == Counter((i.site, i.event_id) for i in b)
    assert sorted(i.published_at + timedelta(days=3) for i in a) == sorted(i.published_at for i in b)
    same = set(i.title for i in a) & set(i.title for i in b)
    assert len(same) > 0.9 * len(a)                   # only dates inside the text differ
    assert {i.url for i in a}.isdisjoint({i.url for i in b})
    assert {i.url for i in a if i.site == "portal"} <= {i.url for i in SampleSites(now=NOW, port=8780).items()}


def test_env_and_stop_frees_the_port():
    first = SampleSites(now=NOW).start()
    port = int(first.urls["portal"].rsplit(":", 1)[1])
    assert {u.rsplit(":", 1)[1] for u in first.urls.values()} == {str(port)}
    assert first.env()["YUQING_SAMPLE_BOARD"] == first.urls["board"]
    requests.get(first.urls["portal"] + "/", timeout=5)
    first.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(first.urls["portal"] + "/", timeout=5)
    probe = socket.socket()
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    probe.bind(("127.0.0.2", port))
    probe.close()
    with SampleSites(now=NOW, port=port) as second:
        assert requests.get(second.urls["news"] + "/robots.txt", timeout=5).status_code == 200


def test_quiet_and_latency(capfd):
    with SampleSites(now=NOW, latency=0.2) as slow:
        started = time.monotonic()
        requests.get(slow.urls["board"] + "/liuyan/list_1.html", timeout=5)
        requests.get(slow.urls["board"] + "/missing", timeout=5)
        assert time.monotonic() - started >= 0.4
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_module_serves_until_interrupted():
    proc = subprocess.Popen([sys.executable, "-m", "yuqing.sample_sites", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
        url = lines[0].split()[1]
        assert lines[0].startswith("portal") and url.startswith("http://127.0.0.2:")
        assert requests.get(url + "/robots.txt", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0

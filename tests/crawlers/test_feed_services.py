"""Weibo and WeChat through RSSHub and the WeChat bridges: their feeds, and their failures said
as what they are (recorded responses in tests/crawlers/services/)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from yuqing.config import load_config
from yuqing.crawlers.health import source_problems
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.models import Mention, Source

from edgesites import FAST

SERVICES = Path(__file__).parent / "services"
RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=UTF-8"
JSON = "application/json; charset=utf-8"


class Bridge(ThreadingHTTPServer):
    """One loopback server playing RSSHub and the WeChat bridges: path -> (status, type, file)."""

    daemon_threads = True

    def __init__(self):
        self.answers: dict[str, tuple[int, str, str]] = {}
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        status, kind, name = self.server.answers.get(path, (404, "text/plain", ""))
        body = (SERVICES / name).read_text(encoding="utf-8").replace("{base}", self.server.base) \
            .encode() if name else b"not found"
        if path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def bridge():
    server = Bridge()
    server.answers["/robots.txt"] = (200, "text/plain", "")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _source(config_dir, bridge, route: str, channel: str = "") -> str:
    named = f"\n            channel: {channel}" if channel else ""
    return config_dir(f"""\
        sources:
          - id: feed
            name: 微博·芝罘发布（RSSHub）
            kind: feed
            authority: official
            urls: ["{bridge.base}{route}"]
            allow_private: true{named}
        """)


def _crawl(directory, db):
    [summary] = crawl_in_subprocess(directory, db.url, ["feed"], crawl=FAST)
    return summary


def _problem(db, directory) -> str:
    [problem] = [p for p in source_problems(db, load_config(directory)) if p.source_id == "feed"]
    return problem.problem


def test_rsshub_weibo_feed_and_its_error_items(db, config_dir, bridge):
    route = "/weibo/user/5634519934"
    bridge.answers[route] = (200, RSS, "rsshub_weibo_user.xml")
    directory = _source(config_dir, bridge, route)
    summary = _crawl(directory, db)
    assert summary.items_new == 2 and summary.status == "partial"
    assert "订阅源中的一条是错误条目（文章已被删除或因违规无法查看）" in summary.errors[0]
    with db.session() as s:
        posts = s.scalars(select(Mention)).all()
    assert {p.channel for p in posts} == {"weibo"}
    assert any("背街小巷" in p.title for p in posts)       # RSSHub's "<name>的微博" title replaced


@pytest.mark.parametrize("fixture, status, words", [
    ("rsshub_cookie_expired.html", 503, "登录失效，请在 RSSHub 重新配置 Cookie：微博的登录已过期或未配置"
                                        "（Error: Cookies expired. Please update WEIBO_COOKIES）"),
    ("rsshub_visitor_cookie.html", 503, "登录失效，请在 RSSHub 重新配置 Cookie"),
    ("rsshub_rate_limited.html", 503, "被限流：RSSHub 访问平台时被限制（HTTPError: Response code 432"),
    ("rsshub_not_found.html", 404, "路由不可用：RSSHub 没有这个路由"),
])
def test_rsshub_failures_are_named_at_once(db, config_dir, bridge, fixture, status, words):
    route = "/weibo/user/5634519934"
    bridge.answers[route] = (status, HTML, fixture)
    directory = _source(config_dir, bridge, route)
    summary = _crawl(directory, db)
    assert summary.status == "failed" and summary.errors[0].startswith(words)
    problem = _problem(db, directory)               # on the first failure, in its own words
    assert problem.startswith(words) and "没有新内容" not in problem


def test_an_emptied_feed_is_not_just_quiet(db, config_dir, bridge):
    route = "/weibo/user/5634519934"
    bridge.answers[route] = (200, RSS, "rsshub_weibo_user.xml")
    directory = _source(config_dir, bridge, route)
    _crawl(directory, db)
    bridge.answers[route] = (200, RSS, "rsshub_weibo_empty.xml")
    summary = _crawl(directory, db)
    assert summary.status == "failed"
    assert _problem(db, directory).startswith("订阅源为空：RSSHub 返回的订阅源没有任何条目，而此前有内容")


def test_wewe_rss_feed_full_text_and_its_verification_item(db, config_dir, bridge):
    route = "/feeds/MP_WXS_3093412345.atom"
    bridge.answers[route] = (200, "application/atom+xml; charset=utf-8", "wewe_feed.atom")
    directory = _source(config_dir, bridge, route)
    summary = _crawl(directory, db)
    assert summary.items_new == 1
    assert "被限流：微信要求验证（环境异常）" in summary.errors[0]
    with db.session() as s:
        [post] = s.scalars(select(Mention)).all()
    assert post.channel == "wechat" and "逐户排查" in post.content


@pytest.mark.parametrize("route, fixture, status, words", [
    ("/feeds/MP_WXS_0000.atom", "wewe_unknown_feed.json", 400,
     "路由不可用：WeWe-RSS / we-mp-rss 中没有这个公众号订阅（不存在该feed！）"),
    ("/rss/3093400000", "wemprss_not_found.json", 404,
     "路由不可用：WeWe-RSS / we-mp-rss 中没有这个公众号订阅（公众号不存在）"),
])
def test_bridge_errors(db, config_dir, bridge, route, fixture, status, words):
    bridge.answers[route] = (status, JSON, fixture)
    directory = _source(config_dir, bridge, route)
    summary = _crawl(directory, db)
    assert summary.status == "failed" and summary.errors[0].startswith(words)
    with db.session() as s:
        assert s.get(Source, "feed").last_error.startswith(words)


def test_we_mp_rss_title_only_items_follow_the_link(db, config_dir, bridge):
    route = "/rss/3093412345"
    bridge.answers[route] = (200, "application/xml", "wemprss_feed.xml")
    bridge.answers["/art/jiaoti_notice.html"] = (200, HTML, "jiaoti_notice.html")
    bridge.answers["/art/verify.html"] = (200, HTML, "wechat_verify.html")
    directory = _source(config_dir, bridge, route, channel="wechat")   # /rss/ names no platform
    summary = _crawl(directory, db)
    assert summary.items_new == 1
    assert any("微信要求验证（环境异常）" in e for e in summary.errors)
    with db.session() as s:
        [post] = s.scalars(select(Mention)).all()
    assert post.channel == "wechat" and "2月24日开学" in post.content

"""How each answer of RSSHub and the WeChat bridges is named, as a table (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuqing.crawlers.feed_problems import article_problem, empty_feed_problem, service_problem

SERVICES = Path(__file__).parent / "services"
WEIBO = "http://127.0.0.1:1200/weibo/user/5634519934"


def _file(name: str) -> bytes:
    return (SERVICES / name).read_bytes()


@pytest.mark.parametrize("url, status, kind, body, said", [
    (WEIBO, 200, "application/rss+xml", _file("rsshub_weibo_user.xml"), None),
    ("http://b/feeds/MP_WXS_1.atom", 200, "application/atom+xml", _file("wewe_feed.atom"), None),
    ("http://b/feeds/MP_WXS_1.json", 200, "application/json",
     b'{"version": "https://jsonfeed.org/version/1", "items": []}', None),
    (WEIBO, 503, "text/html", _file("rsshub_cookie_expired.html"),
     "登录失效，请在 RSSHub 重新配置 Cookie：微博的登录已过期或未配置"),
    (WEIBO, 503, "text/html", _file("rsshub_rate_limited.html"), "被限流：RSSHub 访问平台时被限制"),
    (WEIBO, 404, "text/html", _file("rsshub_not_found.html"), "路由不可用：RSSHub 没有这个路由"),
    ("http://r/bilibili/user/video/2267573", 503, "text/html",
     _file("rsshub_cookie_expired.html").replace(b"WEIBO_COOKIES", b"BILIBILI_COOKIE_2267573"),
     "登录失效，请在 RSSHub 重新配置 Cookie：B站的登录"),
    (WEIBO, 503, "application/json", b'{"error": {"message": "ConfigNotFoundError: Weibo RSS is disabled"}}',
     "登录失效，请在 RSSHub 重新配置 Cookie"),
    ("http://b/feeds/MP_WXS_0.atom", 400, "application/json", _file("wewe_unknown_feed.json"),
     "路由不可用：WeWe-RSS / we-mp-rss 中没有这个公众号订阅（不存在该feed！）"),
    ("http://b/rss/0", 404, "application/json", _file("wemprss_not_found.json"),
     "路由不可用：WeWe-RSS / we-mp-rss 中没有这个公众号订阅（公众号不存在）"),
    ("http://b/rss/1", 401, "application/json",
     '{"detail": {"code": 40101, "message": "未授权的RSS访问"}}'.encode(), "访问被拒绝：WeWe-RSS / we-mp-rss 要求授权"),
    (WEIBO, 502, "text/html", b"<html><head><title>502 Bad Gateway</title></head></html>",
     "RSSHub 报错（HTTP 502）：502 Bad Gateway"),
])
def test_service_answers(url, status, kind, body, said):
    found = service_problem(url, status, kind, body)
    assert (found is None) if said is None else found.startswith(said), found


def test_articles_and_empty_feeds():
    assert article_problem("环境异常\n当前环境异常，完成验证后即可继续访问。").startswith("被限流：微信要求验证")
    assert article_problem("该内容已被发布者删除") == "文章已被删除或因违规无法查看"
    assert article_problem("只楚街道供热管网抢修完成") is None
    assert empty_feed_problem(WEIBO).startswith("订阅源为空：RSSHub 返回的订阅源没有任何条目")

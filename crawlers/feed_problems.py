"""What a feed service's failure looks like, said as what it is.

Weibo and WeChat reach us through bridges that log in on our behalf: RSSHub (a route per
account or keyword) and the WeChat bridges wewe-rss / we-mp-rss (a feed per 公众号). When
their login expires or the platform throttles them, they answer with an error page, an error
document, an empty feed or a verification page where the article should be. Each of those is
reported in the words a person can act on ("登录失效，请在 RSSHub 重新配置 Cookie"), and
crawlers/health.py reports the ones that need a person on the first failed run.
"""

from __future__ import annotations

import html
import json
import re

# RSSHub's environment variable for each platform's login, by route namespace
COOKIE_SETTINGS = {"weibo": ("微博", "WEIBO_COOKIES"), "bilibili": ("B站", "BILIBILI_COOKIE_{uid}"),
                   "zhihu": ("知乎", "ZHIHU_COOKIES"), "xiaohongshu": ("小红书", "XIAOHONGSHU_COOKIE"),
                   "douyin": ("抖音", "DOUYIN_COOKIE"), "wechat": ("微信", "WECHAT_… 相关配置")}
_RSSHUB_PAGE = re.compile(r"Looks like something went wrong|Powered by RSSHub|RSSHub", re.I)
_CODE = re.compile(r"Error Message:.*?<code[^>]*>(.*?)</code>", re.I | re.S)
_LOGIN = re.compile(r"cookie|登录|login|ConfigNotFound|Please set|未配置|not configured|"
                    r"visitor|passport", re.I)
_THROTTLED = re.compile(r"Response code (?:403|412|418|429|432)|RequestInProgress|"
                        r"too many requests|rate limit|频繁|风控", re.I)
_NOT_FOUND = re.compile(r"(?<!Config)NotFoundError|route does not exist|不存在该feed|公众号不存在|Not Found", re.I)
# A WeChat article page that is not the article
WECHAT_VERIFY = ("环境异常", "完成验证后即可继续访问", "请在微信客户端打开链接")
DELETED = ("该内容已被发布者删除", "此内容因违规无法查看", "该公众号已迁移", "内容无法查看",
           "此内容被多人投诉，相关的内容无法进行查看")


def service_problem(url: str, status: int, content_type: str, body: bytes) -> str | None:
    """A Chinese sentence when this answer is a bridge's failure rather than a feed."""
    text = body.decode("utf-8", errors="replace").strip()
    route = _route(url)
    if text.startswith("{"):
        return _json_problem(route, status, text)
    if status == 200 and not text.lower().startswith("<!doctype html") \
            and not text.lower().startswith("<html"):
        return None                                  # a feed (or garbage the parser reports)
    if status in (200, 304) and "html" not in content_type and not _RSSHUB_PAGE.search(text):
        return None
    found = _CODE.search(text)
    message = html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""
    if not message and status == 200:
        return None                                  # an ordinary HTML page: not ours to judge
    return _classify(route, status, message or _title(text))


def _json_problem(route: str, status: int, text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if "version" in data and "items" in data:        # a JSON Feed (wewe-rss .json)
        return None
    # RSSHub as a package: {"error": {"message"}}; wewe-rss (NestJS): {"statusCode", "message"};
    # we-mp-rss (FastAPI): {"detail": {"code", "message"}}
    error = data.get("error") or data.get("detail")
    message = data.get("message") or (error.get("message") if isinstance(error, dict) else error)
    if not message and status == 200:
        return None
    return _classify(route, status or int(data.get("statusCode") or 0), str(message or text[:80]))


def _classify(route: str, status: int, message: str) -> str:
    where = _service(route)
    shown = message[:160]
    if _NOT_FOUND.search(message) or status == 404:
        if "feed" in message or "公众号" in message:
            return (f"路由不可用：{where} 中没有这个公众号订阅（{shown}），请在 {where} 后台添加该公众号，"
                    "或改正信息源地址中的 id")
        return f"路由不可用：{where} 没有这个路由（{shown}），可能已改名或删除，请对照 {where} 文档改正地址"
    if "未授权" in message or status == 401:
        return (f"访问被拒绝：{where} 要求授权（{shown}），请在其配置中允许本机访问 RSS，"
                "或在信息源地址中带上访问密钥")
    if _THROTTLED.search(message) or status in (403, 429):
        return (f"被限流：{where} 访问平台时被限制（{shown}），本次未取得内容；"
                "请调大该信息源的采集间隔（interval），稍后会自动重试")
    if _LOGIN.search(message) or status == 401:
        platform, setting = _cookie(route)
        return (f"登录失效，请在 RSSHub 重新配置 Cookie：{platform}的登录已过期或未配置（{shown}），"
                f"请在 RSSHub 的环境变量 {setting} 中填入新的 Cookie 后重启 RSSHub") \
            if "RSSHub" in where else \
            (f"登录失效：{where} 的微信读书账号已失效（{shown}），请在 {where} 后台重新扫码登录")
    return f"{where} 报错（HTTP {status}）：{shown}"


def article_problem(text: str) -> str | None:
    """A followed WeChat link that gave a verification or deleted-article page."""
    head = text[:400]
    if any(word in head for word in WECHAT_VERIFY):
        return "被限流：微信要求验证（环境异常），文章正文未取得；请降低公众号订阅的采集频率"
    if any(word in head for word in DELETED):
        return "文章已被删除或因违规无法查看"
    return None


def empty_feed_problem(url: str) -> str:
    platform, setting = _cookie(_route(url))
    return (f"订阅源为空：{_service(_route(url))} 返回的订阅源没有任何条目，而此前有内容；常见原因是"
            f"{platform}登录失效（RSSHub 的 {setting}）或账号不再公开，请在 RSSHub 中打开该路由检查")


def _route(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?", 1)[0]


def _service(route: str) -> str:
    if route.startswith(("/feeds/", "/feed/", "/rss/")):
        return "WeWe-RSS / we-mp-rss"
    return "RSSHub"


def _cookie(route: str) -> tuple[str, str]:
    namespace = route.strip("/").split("/", 1)[0]
    return COOKIE_SETTINGS.get(namespace, ("该平台", "对应路由文档中列出的 Cookie 配置"))


def _title(text: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip()[:80] if found else text[:80]

"""Fetching for `yuqing source add/test`: one page at a time, size-capped, cached per run.

The crawler itself runs in Scrapy; a person adding a source waits on a handful of pages, so a
plain blocking client with the same user agent, size cap and robots.txt rule is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from yuqing.crawlers.urls import host_of, is_private_host
from yuqing.timeutil import now

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (10, 30)
USER_AGENT = "Mozilla/5.0 (compatible; yuqing/0.1; +source-check)"


class FetchError(Exception):
    """A page could not be fetched; the message is for the person at the terminal."""


@dataclass(frozen=True)
class Fetched:
    url: str                 # after redirects
    body: bytes
    content_type: str
    declared: str | None     # the header's charset, a hint only
    fetched_at: datetime


class Fetcher:
    def __init__(self, allow_private: bool = True, timeout=TIMEOUT, max_bytes: int = MAX_BYTES):
        import requests

        self.allow_private = allow_private
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        # HTTP(S)_PROXY from the environment would send a district's intranet sources elsewhere.
        self.session.trust_env = False
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._cache: dict[str, Fetched | FetchError] = {}
        self._robots: dict[str, RobotFileParser | None] = {}

    def get(self, url: str) -> Fetched:
        hit = self._cache.get(url)
        if hit is None:
            try:
                hit = self._get(url)
            except FetchError as exc:
                hit = exc
            self._cache[url] = hit
        if isinstance(hit, FetchError):
            raise hit
        return hit

    def _get(self, url: str) -> Fetched:
        for _ in range(6):  # redirects by hand: each hop passes the address check
            if not self.allow_private and is_private_host(host_of(url)):
                raise FetchError(f"拒绝访问内网或本机地址（信息源未设置 allow_private）：{url}")
            fetched = self._once(url)
            if isinstance(fetched, Fetched):
                return fetched
            url = fetched
        raise FetchError("跳转次数过多")

    def _once(self, url: str) -> Fetched | str:
        import requests

        try:
            with self.session.get(url, timeout=self.timeout, stream=True, allow_redirects=False) as resp:
                if resp.is_redirect and resp.headers.get("Location"):
                    return urljoin(url, resp.headers["Location"])
                if resp.status_code >= 400:
                    raise FetchError(f"HTTP {resp.status_code}")
                chunks, size = [], 0
                for chunk in resp.iter_content(65536):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"页面超过 {self.max_bytes // (1024 * 1024)} MB 上限")
                    chunks.append(chunk)
                ctype = resp.headers.get("Content-Type", "")
                declared = ctype.lower().split("charset=", 1)[1].strip() if "charset=" in ctype.lower() else None
                return Fetched(url, b"".join(chunks), ctype, declared, now())
        except requests.Timeout:
            raise FetchError("连接或读取超时") from None
        except requests.ConnectionError:
            raise FetchError("无法连接服务器") from None
        except requests.RequestException as exc:
            raise FetchError(str(exc) or type(exc).__name__) from None

    def allowed(self, url: str) -> bool:
        """robots.txt, as the crawler will read it (an unreachable robots.txt allows)."""
        parts = urlsplit(url)
        base = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if base not in self._robots:
            parser = None
            try:
                page = self.get(base + "/robots.txt")
                if "html" not in page.content_type.lower():
                    parser = RobotFileParser()
                    parser.parse(page.body.decode("utf-8", "replace").splitlines())
            except FetchError:
                parser = None
            self._robots[base] = parser
        parser = self._robots[base]
        return parser is None or parser.can_fetch(USER_AGENT, url)

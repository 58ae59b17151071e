"""The edge-case sites of tests/sample_sites/ on two loopback addresses,
served by a real threaded HTTP server that counts requests, honours conditional GET, and has
routes that fail the ways real sites fail (500, hang, oversize, off-site redirect)."""

from __future__ import annotations

import hashlib
import textwrap
import threading
import time
from collections import Counter
from datetime import timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from yuqing.config.loader import DEFAULT_DIR
from yuqing.crawlers.politeness import CrawlSettings

ROOT = Path(__file__).resolve().parents[1] / "sample_sites"
HOSTS = {"zhifu": "127.0.0.6", "elsewhere": "127.0.0.7"}
HUGE_BYTES = 300 * 1024
# Our own servers: no delay, but the same code paths (robots.txt, guard, size cap, retries).
FAST = CrawlSettings(download_delay="0s", concurrency_per_domain=4, autothrottle=False,
                     timeout="10s", retries=1, max_page_bytes=128 * 1024)
# For the bad-input crawl: /art/slow.html must time out (twice: one retry) in seconds.
IMPATIENT = FAST.model_copy(update={"timeout": timedelta(seconds=2)})
SLOW_SECONDS = 8
CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".txt": "text/plain"}
# The header lies the way the page does; gbk_news.html is GBK bytes with no charset header.
HEADER_TYPES = {"/art/lying_charset.html": "text/html; charset=gbk",
                "/art/gbk_news.html": "text/html"}
LAST_MODIFIED = formatdate(1763600000, usegmt=True)


class EdgeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, site: str, address):
        self.site = site
        self.requests: Counter[str] = Counter()
        self.times: list[tuple[float, str]] = []
        self.conditional: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self.overrides: dict[str, bytes] = {}
        self.other_base = ""
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        pass        # the crawler hanging up on /slow and /huge is expected


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EdgeServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        srv = self.server
        srv.requests[path] += 1
        srv.times.append((time.monotonic(), path))
        srv.user_agents.add(self.headers.get("User-Agent", ""))
        if path == "/art/error.html":
            return self._send(500, b"<html><body>500 Internal Server Error</body></html>")
        if path == "/art/slow.html":
            time.sleep(SLOW_SECONDS)   # longer than IMPATIENT's timeout: the crawler gives up first
            return self._send(200, b"<html><body>too late</body></html>")
        if path == "/art/huge.html":
            para = "<p>预算执行情况表：一般公共预算收入、支出及结余明细，单位万元。</p>\n".encode()
            return self._send(200, b"<html><body>" + para * (HUGE_BYTES // len(para)) + b"</body></html>")
        if path == "/art/away.html":
            return self._send(302, b"", {"Location": f"{srv.other_base}/landing.html"})
        body = srv.overrides.get(path)
        if body is None:
            file = (ROOT / srv.site / path.lstrip("/")).resolve()
            if ROOT not in file.parents or not file.is_file():
                return self._send(404, "<html><body>404 页面不存在</body></html>".encode())
            body = file.read_bytes()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            srv.conditional[path] += 1
            return self._send(304, b"", {"ETag": etag})
        kind = HEADER_TYPES.get(path) or CONTENT_TYPES.get(Path(path).suffix,
                                                              "text/html; charset=utf-8")
        self._send(200, body, {"Content-Type": kind, "ETag": etag, "Last-Modified": LAST_MODIFIED})

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class EdgeSites:
    def __init__(self):
        self.servers: dict[str, EdgeServer] = {}

    def start(self) -> "EdgeSites":
        first = EdgeServer("zhifu", (HOSTS["zhifu"], 0))
        port = first.server_address[1]
        self.servers = {"zhifu": first, "elsewhere": EdgeServer("elsewhere", (HOSTS["elsewhere"], port))}
        for server in self.servers.values():
            server.other_base = self.url("elsewhere")
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    def url(self, site: str = "zhifu") -> str:
        host, port = self.servers[site].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def zhifu(self) -> EdgeServer:
        return self.servers["zhifu"]

    def reset(self) -> None:
        for server in self.servers.values():
            server.requests.clear()
            server.times.clear()
            server.conditional.clear()
            server.overrides.clear()


def write_config(directory: Path, sources_yaml: str) -> str:
    """A config directory that extends the shipped default config with these sources."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    (directory / "sources.yaml").write_text(textwrap.dedent(sources_yaml), encoding="utf-8")
    return str(directory)

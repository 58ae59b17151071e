"""A quiet threaded HTTP server per site, answering from a prerendered page table.

Conditional GETs (If-None-Match, If-Modified-Since) get 304 on lists and feeds; unknown paths
get the site's 404 page. Open keep-alive connections are cut on stop so shutdown is prompt.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from yuqing.sample_sites import pages_social
from yuqing.sample_sites.routes import HTML_GBK, HTML_UTF8, Page


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], site: str, latency: float = 0.0):
        self.site = site
        self.latency = latency
        self.routes: dict[str, Page] = {}
        self.post = None                 # (path, body, content type) -> (status, type, body)
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    # keep track of connections so stop() can close idle keep-alive ones
    def process_request(self, request, client_address):
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        pass   # clients hanging up mid-response are not worth a traceback on stderr

    def start(self) -> None:
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                                       name=f"sample-{self.site}", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread is not None:
            self.shutdown()
            self.thread.join(timeout=5)
            self.thread = None
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.24.0"
    timeout = 30
    server: SiteServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format, *args):  # noqa: A002 - quiet: no request log on stderr
        pass

    def do_GET(self):
        self._serve(with_body=True)

    def do_HEAD(self):
        self._serve(with_body=False)

    def do_POST(self):
        if self.server.latency:
            time.sleep(self.server.latency)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.server.post is None:
            self._send(405, Page(b"method not allowed", "text/plain"), True)
            return
        status, kind, answer = self.server.post(urlsplit(self.path).path, body,
                                                self.headers.get("Content-Type", ""))
        self._send(status, Page(answer, kind), True)

    def _serve(self, with_body: bool) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        path = urlsplit(self.path).path or "/"
        page = self.server.routes.get(path)
        if page is None:
            self._send(404, Page(self._not_found(), HTML_GBK if self.server.site == "news" else HTML_UTF8),
                       with_body)
            return
        if page.conditional and self._not_modified(page):
            self.send_response(304)
            self._validators(page)       # no Content-Length: a 304 never has a body
            self.end_headers()
            return
        self._send(200, page, with_body)

    def _not_found(self) -> bytes:
        text = pages_social.not_found(self.server.site)
        return text.encode("gbk") if self.server.site == "news" else text.encode("utf-8")

    def _not_modified(self, page: Page) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:    # when present it decides, If-Modified-Since is ignored (RFC 9110)
            wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
            return "*" in wanted or page.etag in wanted
        since = self.headers.get("If-Modified-Since")
        if since and page.last_modified is not None:
            try:
                return page.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _validators(self, page: Page) -> None:
        self.send_header("ETag", page.etag)
        if page.last_modified is not None:
            self.send_header("Last-Modified", http_date(page.last_modified))
        self.send_header("Cache-Control", "max-age=60")

    def _send(self, status: int, page: Page, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if status == 200:
            self._validators(page)
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)

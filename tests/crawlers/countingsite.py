"""A local site that counts the requests it has in flight at once (its peak), for the tests
that a site never sees more than its politeness limit."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CountingSite(ThreadingHTTPServer):
    """A list page of 24 links and their articles, each answered after 50 ms."""

    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, _CountingHandler)
        self.lock = threading.Lock()
        self.now = self.peak = self.served = 0

    def start(self) -> "CountingSite":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def url(self, path: str = "/list.html") -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}{path}"


class _CountingHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        with srv.lock:
            srv.now += 1
            srv.peak = max(srv.peak, srv.now)
        time.sleep(0.05)
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        elif self.path == "/list.html":
            body = ("<html><body><ul class='list'>" + "".join(
                f"<li><a href='/a/{n}.html'>芝罘区第{n}号通知</a></li>" for n in range(24))
                + "</ul></body></html>").encode()
        else:
            body = (f"<html><head><meta charset='utf-8'><title>芝罘区通知{self.path}</title></head><body>"
                    f"<div class='article'><p>{'芝罘区召开专题会议，研究部署冬季供暖保障工作。' * 12}</p>"
                    "</div></body></html>").encode()
        with srv.lock:
            srv.now -= 1
            srv.served += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

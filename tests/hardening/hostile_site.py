"""A hostile website on loopback: serves whatever a test puts in `pages`, counts every request,
and runs beside a second "internal" host the crawler must never be steered to."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, host: str, port: int = 0):
        self.pages: dict[str, tuple[int, bytes, dict]] = {}
        self.requests: Counter[str] = Counter()
        self.hook = None                  # called with the path before answering
        super().__init__((host, port), _Handler)

    def handle_error(self, request, client_address):
        pass

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def page(self, path: str, body: str | bytes, status: int = 200,
             content_type: str = "text/html; charset=utf-8", **headers) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, data, {"Content-Type": content_type, **headers})

    def start(self) -> "HostileServer":
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        srv.requests[self.path] += 1
        if srv.hook is not None:
            srv.hook(self.path)
        status, body, headers = srv.pages.get(self.path.split("?", 1)[0]) or srv.pages.get(
            self.path, (404, b"<html><body>404</body></html>", {"Content-Type": "text/html"}))
        if self.path == "/robots.txt" and self.path not in srv.pages:
            status, body, headers = 200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def pair(hostile: str = "127.0.0.21", internal: str = "127.0.0.22") -> tuple[HostileServer, HostileServer]:
    """The attacker's site and an internal service, on one port of two loopback addresses."""
    site = HostileServer(hostile).start()
    inner = HostileServer(internal, site.server_address[1]).start()
    inner.page("/secret", "<html><head><title>内部机密</title></head><body><p>"
               + "内部管理接口返回的机密数据，不应被采集。" * 20 + "</p></body></html>")
    return site, inner

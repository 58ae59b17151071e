"""Real local receivers that record what arrived: an SMTP server and a webhook endpoint."""

from __future__ import annotations

import email
import json
import socket
import threading
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


class SMTPReceiver:
    """aiosmtpd on loopback; `stop()` then `start()` on the same port simulates an outage."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.inbox = _Inbox()
        self._controller: Controller | None = None

    def start(self) -> "SMTPReceiver":
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self):
        return list(self.inbox.messages)

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def bodies(self) -> list[str]:
        out = []
        for m in self.messages:
            for part in m.walk():
                if part.get_content_type() in ("text/plain", "text/html"):
                    out.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
                    break
        return out

    def url(self, to: str = "duty@zhifu.test") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=yuqing@zhifu.test&to={to}&secure=no"


class WebhookReceiver:
    """Records JSON POSTs; `fail_next(n)` makes it answer 500 n times."""

    def __init__(self):
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self._failures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver._failures > 0:
                    receiver._failures -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.received.append(json.loads(body or b"{}"))
                receiver.headers.append(dict(self.headers))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def fail_next(self, n: int) -> None:
        self._failures = n

    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""Receivers for delivery tests: the shared SMTP server, and a webhook endpoint that can be
slow, down, or failing, and that records each request's Idempotency-Key."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.receivers import SMTPReceiver, free_port


class Hook:
    """A JSON webhook receiver like a real one that honours Idempotency-Key: `posts` is
    every request that arrived, `delivered` one per key (what its users see)."""

    def __init__(self, port: int | None = None, delay: float = 0.0):
        self.port = port or free_port()
        self.delay = delay
        self.posts: list[tuple[str, dict]] = []
        self.failures = 0
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        self._server = None

    def start(self) -> "Hook":
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with hook.lock:
                    if hook.failures > 0:
                        hook.failures -= 1
                        self.send_response(500)
                        self.end_headers()
                        return
                    hook.posts.append((self.headers.get("Idempotency-Key", ""), json.loads(body or b"{}")))
                hook.arrived.set()
                time.sleep(hook.delay)          # a slow receiver: the sender waits for the answer
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    @property
    def delivered(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for key, payload in self.posts:
            out.setdefault(key, payload)
        return out

    def titles(self) -> list[str]:
        return [p["title"] for p in self.delivered.values()]


@pytest.fixture
def smtp():
    receiver = SMTPReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def hook():
    receiver = Hook().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def alert_config(default_config):
    """The shipped config: its severity table is the one the simulated month was tuned on."""
    return default_config

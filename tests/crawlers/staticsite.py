"""A real threaded HTTP server on loopback over a path -> file function, for source checks."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

TYPES = {".html": "text/html", ".htm": "text/html", ".xml": "application/rss+xml; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}


def from_folder(folder: Path) -> Callable[[str], Path | None]:
    """/col/x/ -> folder/col/x/index.html; nothing outside the folder is served."""
    root = folder.resolve()

    def find(path: str) -> Path | None:
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        file = (root / rel).resolve()
        return file if file.is_file() and root in file.parents else None

    return find


@contextmanager
def serve(find: Callable[[str], Path | None], host: str = "127.0.0.8") -> Iterator[str]:
    """Serve files found by `find` (no charset in the header: the bytes decide) until exit."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            file = find(self.path.split("?", 1)[0])
            if file is None:
                body, status, ctype = b"<html><body>404</body></html>", 404, "text/html"
            else:
                body, status, ctype = file.read_bytes(), 200, TYPES.get(file.suffix, "application/octet-stream")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

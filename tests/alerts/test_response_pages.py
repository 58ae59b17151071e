"""A response link is fetched once from a real local HTTP server and kept on the department's
own row; a failing link is recorded as failed, not retried forever; a new link is fetched anew."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.respond import respond
from yuqing.alerts.response_pages import fetch_response_pages
from yuqing.storage.models import Assignment
from tests.alerts.helpers import NOW, baseline, spike

PAGE = ("<html><head><meta charset='utf-8'><title>区住建局关于只楚街道供暖问题的情况说明</title></head><body>"
        "<div class='article'><h1>区住建局关于只楚街道供暖问题的情况说明</h1>"
        "<p>近日，只楚街道部分小区居民反映暖气不热。区住建局已责成东城热力公司对供热管网逐一排查。</p>"
        "<p>受影响小区已于今日18时前恢复正常供暖，区住建局将对供热质量开展专项督查。</p></div></body></html>")


@pytest.fixture
def site():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/notice.html":
                body = PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    thread.join(5)


def row(db, dept) -> Assignment:
    with db.session() as s:
        a = s.scalar(select(Assignment).where(Assignment.department_id == dept))
        s.expunge(a)
        return a


def test_response_page_is_fetched_once_and_kept(db, default_config, site):
    base, hits = site
    baseline(db)
    spike(db, 5)
    detect(db, default_config, NOW)
    respond(db, default_config, 1, "王主任", "zhujian", "已发布情况说明", f"{base}/notice.html",
            at=NOW + timedelta(hours=1))
    respond(db, default_config, 1, "李干事", "zhichu", "", f"{base}/gone.html", at=NOW + timedelta(hours=1))
    assert fetch_response_pages(db, default_config, NOW + timedelta(hours=1, minutes=5)) == 2
    kept = row(db, "zhujian")
    assert kept.response_fetched_at == NOW + timedelta(hours=1, minutes=5)
    assert "区住建局关于只楚街道供暖问题的情况说明" in kept.response_snapshot
    assert "恢复正常供暖" in kept.response_snapshot
    assert row(db, "zhichu").response_snapshot == "抓取失败：HTTP 404"
    assert fetch_response_pages(db, default_config) == 0 and sorted(hits) == ["/gone.html", "/notice.html"]
    # a supplementary response with a new link is archived again
    respond(db, default_config, 1, "李干事", "zhichu", "补充", f"{base}/notice.html", at=NOW + timedelta(hours=2))
    assert fetch_response_pages(db, default_config) == 1
    assert "专项督查" in row(db, "zhichu").response_snapshot

"""Item 4: a database that turns read-only for three seconds in the middle of a crawl (a real
PostgreSQL database with default_transaction_read_only, its sessions cut so the setting takes)
— the refused articles are failed items of a failed run, the list page's validators are not
saved, and the next crawl stores every article: nothing lost for good."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.storage.db import Database
from yuqing.storage.models import FetchState, Mention, SourceRun

from tests.conftest import POSTGRES
from tests.crawlers.edgesites import FAST, write_config
from tests.hardening.hostile_site import HostileServer

pytestmark = pytest.mark.skipif(not POSTGRES, reason="needs YUQING_TEST_POSTGRES")
ARTICLES = 60
SLOW = FAST.model_copy(update={"concurrency_per_domain": 2})


@pytest.fixture
def scratch_database():
    """A database of its own: ALTER DATABASE must not touch anybody else's."""
    name = f"hardening_ro_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    yield name, url, admin
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def _read_only(admin, name: str, on: bool) -> None:
    with admin.connect() as conn:
        value = "on" if on else "off"
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {value}'))
        # the setting applies to new sessions: end the crawler's, its pool reconnects
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})


def _list_page() -> str:
    items = "".join(f'<li><a href="/art/{i}.html">芝罘区第{i}号通知：冬季供暖服务安排</a>'
                    f"<span>2026-11-20</span></li>" for i in range(ARTICLES))
    return f'<html><body><ul class="news-list">{items}</ul></body></html>'


def test_read_only_database_mid_crawl_loses_nothing(scratch_database, tmp_path):
    name, url, admin = scratch_database
    db = Database(url)
    db.migrate()
    site = HostileServer("127.0.0.23").start()
    site.page("/list.html", _list_page(), ETag='"v1"')
    for i in range(ARTICLES):
        site.page(f"/art/{i}.html", f"<html><head><title>芝罘区第{i}号通知</title></head><body>"
                  f"<h1>芝罘区第{i}号通知：冬季供暖服务安排</h1><div class='content'><p>"
                  + "供热公司将于本周完成管网检修，居民如有问题请拨打热线。" * 6 + "</p></div></body></html>")
    fired = threading.Event()

    def hook(path: str) -> None:
        time.sleep(0.2)                                       # a site that takes its time
        if path == "/art/8.html" and not fired.is_set():
            fired.set()
            _read_only(admin, name, True)
            threading.Timer(3.0, _read_only, (admin, name, False)).start()

    site.hook = hook
    config = write_config(tmp_path / "cfg", f"""\
        sources:
          - id: notices
            name: 通知公告
            kind: site
            urls: ["{site.base}/list.html"]
            allow_private: true
            max_pages: 1
        """)
    try:
        [first] = crawl_in_subprocess(config, url, crawl=SLOW)
        time.sleep(3.5)                                       # the database is writable again
        with db.session() as s:
            stored = s.scalar(select(func.count()).select_from(Mention))
            assert s.get(FetchState, f"{site.base}/list.html") is None
        assert fired.is_set() and stored < ARTICLES
        assert first.status == "failed"
        assert first.items_failed >= ARTICLES - stored
        assert any(e.startswith("数据库写入失败，未保存：") for e in first.errors)

        [second] = crawl_in_subprocess(config, url, crawl=SLOW)
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Mention)) == ARTICLES
            assert [r.status for r in s.scalars(select(SourceRun).order_by(SourceRun.id))] \
                == ["failed", "ok"]
        assert second.status == "ok" and second.items_new == ARTICLES - stored
        assert site.requests["/list.html"] == 2
    finally:
        site.stop()
        db.dispose()

"""The store: aware times on both databases, once-per-URL mentions with versions, concurrent writers."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from yuqing.crawlers.items import MentionItem
from yuqing.crawlers.store import CrawlStore
from yuqing.storage.models import Mention, MentionVersion, Source
from yuqing.timeutil import SHANGHAI, now


def item(url: str, content: str = "居民反映暖气不热", published=None, **kw) -> MentionItem:
    return MentionItem(source_id="board", url=url, kind=kw.pop("kind", "message"), title="暖气不热",
                       content=content, published_at=published, fetched_at=now(), **kw)


def test_times_come_back_aware_and_equal(db):
    local = datetime(2024, 7, 1, 10, 0, tzinfo=SHANGHAI)
    store = CrawlStore(db, "board", "留言板", "board")
    store.save(item("http://b.test/1", published=local))
    with db.session() as s:
        got = s.scalar(select(Mention.published_at))
    assert got.tzinfo is not None
    assert got == local and got.astimezone(timezone.utc).hour == 2


def test_one_row_per_url_and_versions_on_change(db):
    store = CrawlStore(db, "board", "留言板", "board")
    assert store.save(item("http://b.test/1")) == "new"
    assert store.save(item("http://b.test/1")) == "unchanged"
    assert store.save(item("http://b.test/1", content="居民反映暖气不热，已三天")) == "updated"
    with db.session() as s:
        assert s.scalar(select(func.count(Mention.id))) == 1
        m = s.scalar(select(Mention))
        assert m.version == 2 and m.analysed_at is None
        old = s.scalar(select(MentionVersion))
        assert old.content == "居民反映暖气不热" and old.version == 1


def test_reply_arriving_updates_message(db):
    store = CrawlStore(db, "board", "留言板", "board")
    store.save(item("http://b.test/1"))
    assert store.unanswered_messages() == ["http://b.test/1"]
    store.save(item("http://b.test/1", reply="已安排维修", reply_department="只楚街道办事处"))
    assert store.unanswered_messages() == []


def test_source_health_counts_failures(db):
    for _ in range(2):
        store = CrawlStore(db, "portal", "门户", "site")
        store.stats.fail("列表页/订阅源获取失败：http://x：HTTP 500")
        run = store.close()
        assert run.status == "failed"
    with db.session() as s:
        assert s.get(Source, "portal").consecutive_failures == 2
    store = CrawlStore(db, "portal", "门户", "site")
    store.save(item("http://b.test/9", kind="article"))
    assert store.close().status == "ok"
    with db.session() as s:
        src = s.get(Source, "portal")
        assert src.consecutive_failures == 0 and src.last_success_at is not None


def test_concurrent_writers_lose_nothing(db):
    """A crawl writing while analysis and delivery write: WAL, busy timeout and retries."""
    errors = []

    def writer(n: int):
        try:
            store = CrawlStore(db, f"src{n}", f"源{n}", "site")
            for i in range(40):
                store.save(item(f"http://w{n}.test/{i}", published=now() - timedelta(minutes=i)))
            store.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as s:
        assert s.scalar(select(func.count(Mention.id))) == 160


def test_workers_storing_one_url_at_once_store_it_once_and_fail_nothing(db):
    """Two crawl workers may fetch one article at once (a killed worker's lease requeued): one
    of them stores it, the other finds it stored — neither write fails and loses the item."""
    stores = [CrawlStore(db, "portal", "门户", "site") for _ in range(4)]
    outcomes, errors = [], []
    start = threading.Barrier(len(stores))

    def writer(store):
        try:
            start.wait()
            for i in range(30):
                outcomes.append(store.save(item(f"http://same.test/{i}", kind="article")))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(st,)) for st in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert outcomes.count("new") == 30 and outcomes.count("unchanged") == 90
    with db.session() as s:
        assert s.scalar(select(func.count(Mention.id))) == 30


def test_a_pooled_connection_the_server_dropped_is_replaced(db, monkeypatch):
    """PostgreSQL restarted or an idle connection cut: the next transaction after a rest gets a
    fresh connection instead of an error (storage/db.py pings rested connections)."""
    from sqlalchemy import create_engine, text

    from yuqing.storage import db as dbmod

    if db.engine.dialect.name != "postgresql":
        return
    monkeypatch.setattr(dbmod, "PING_AFTER_IDLE", 0.0)   # every checkout counts as after a rest
    with db.session() as s:
        pid = s.scalar(text("SELECT pg_backend_pid()"))
    admin = create_engine(db.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as other:
        assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    with db.session() as s:
        assert s.scalar(text("SELECT pg_backend_pid()")) != pid


def test_processes_starting_together_migrate_once(db_url):
    """The scheduler, the dashboard and a CLI often start at the same instant."""
    from yuqing.storage.db import Database

    errors = []

    def start():
        try:
            Database(db_url).migrate()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    database = Database(db_url)
    with database.session() as s:
        assert s.scalar(select(func.count(Mention.id))) == 0
    database.dispose()

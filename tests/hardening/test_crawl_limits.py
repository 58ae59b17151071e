"""Low items against real crawls: one list page of thousands of links does not become
thousands of fetches, and a crawl killed with its whole process group does not leave its
source's run "running" for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.crawlers.spiders.base import MAX_LINKS_PER_PAGE
from yuqing.storage.db import Database
from yuqing.storage.models import SourceRun
from yuqing.timeutil import SHANGHAI

from tests.crawlers.edgesites import FAST, write_config
from tests.hardening.hostile_site import HostileServer


def _source(base: str) -> str:
    return f"""\
        sources:
          - id: big
            name: 巨型列表页
            kind: site
            urls: ["{base}/list.html"]
            allow_private: true
            max_pages: 1
        """


def test_one_huge_list_page_is_capped(tmp_path):
    site = HostileServer("127.0.0.27").start()
    links = "".join(f"<li><a href=/a/{i}>芝罘区通知公告第{i}号</a></li>" for i in range(1500))
    site.page("/list.html", f"<html><body><ul class='news-list'>{links}</ul></body></html>")
    db = Database(f"sqlite:///{tmp_path / 'c.db'}")
    db.migrate()
    try:
        [summary] = crawl_in_subprocess(write_config(tmp_path / "cfg", _source(site.base)), db.url,
                                        crawl=FAST)
    finally:
        site.stop()
        db.dispose()
    fetched = [p for p in site.requests if p.startswith("/a/")]
    assert len(fetched) <= MAX_LINKS_PER_PAGE
    assert any("超过上限" in e for e in summary.errors), (len(fetched), summary.errors[:3])


def test_a_killed_crawl_does_not_stay_running(tmp_path):
    site = HostileServer("127.0.0.28").start()
    links = "".join(f"<li><a href='/slow{i}.html'>芝罘区通知公告第{i}号：供暖服务安排</a>"
                    f"<span>2026-11-{10 + i}</span></li>" for i in range(6))
    site.page("/list.html", f"<html><body><ul class='news-list'>{links}</ul></body></html>")
    site.hook = lambda path: time.sleep(30) if path.startswith("/slow") else None
    directory = write_config(tmp_path / "cfg", _source(site.base))
    url = f"sqlite:///{tmp_path / 'k.db'}"
    start = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
    env = {**os.environ, "YUQING_DATABASE_URL": url, "YUQING_NOW": start.isoformat()}
    cycle = subprocess.Popen([sys.executable, "-m", "yuqing.app.cli", "--config", directory, "crawl"],
                             env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    db = Database(url)
    try:
        deadline = time.monotonic() + 60
        while not any(p.startswith("/slow") for p in site.requests) and time.monotonic() < deadline:
            time.sleep(0.2)
        os.killpg(cycle.pid, signal.SIGKILL)              # the whole group: nobody cleans up
        cycle.wait()
        with db.session() as s:
            assert [r.status for r in s.scalars(select(SourceRun))] == ["running"], [(r.errors, site.requests) for r in s.scalars(select(SourceRun))]
        site.hook = None
        os.environ["YUQING_NOW"] = (start + timedelta(hours=3)).isoformat()
        try:
            crawl_in_subprocess(directory, url, crawl=FAST)
        finally:
            os.environ.pop("YUQING_NOW")
        with db.session() as s:
            runs = list(s.scalars(select(SourceRun).order_by(SourceRun.id)))
        assert runs[0].status == "failed" and "采集进程被终止" in runs[0].errors[0]
        assert runs[1].status != "running"
    finally:
        site.stop()
        db.dispose()

"""The hostile-content corpus through the whole system: crawl → analyse → detect → deliver
(real SMTP, webhook, file) → digest → weekly report → dashboard → CLI. Nothing is lost,
nothing unmasked reaches a reader, nothing is injected."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from yuqing.analysis.stage import analyse_pending
from yuqing.config import load_config
from yuqing.crawlers.runner import crawl_in_subprocess
from yuqing.reports.digest import build_digest
from yuqing.reports.weekly import build_weekly
from yuqing.safetext import INVISIBLE
from yuqing.storage.db import Database
from yuqing.storage.models import Delivery, Mention, Warning
from yuqing.timeutil import SHANGHAI
from yuqing.web import create_app
from yuqing.web.auth import add_user

from tests.alerts.helpers import with_channels
from tests.conftest import TEST_SECRET
from tests.crawlers.edgesites import FAST, write_config
from tests.hardening import corpus
from tests.hardening.hostile_site import HostileServer
from tests.receivers import SMTPReceiver, WebhookReceiver
from tests.web.conftest import PASSWORD, login

AT = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One run of the whole pipeline over the corpus (SQLite), read by every test below."""
    tmp = tmp_path_factory.mktemp("hostile")
    env_before = dict(os.environ)
    os.environ.update(YUQING_NOW=AT.isoformat(), YUQING_HOME=str(tmp / "home"),
                      YUQING_SECRET=TEST_SECRET)
    site, smtp, hook = HostileServer("127.0.0.25").start(), SMTPReceiver().start(), WebhookReceiver()
    try:
        links = []
        for i, (title, body) in enumerate(corpus.ARTICLES):
            site.page(f"/art/{i}.html", corpus.page(title, body, depth=200 if i == 2 else 0))
            links.append(f'<li><a href="/art/{i}.html">{i}号 只楚街道通报</a></li>')
        site.page("/list.html", f"<html><body><ul class='news-list'>{''.join(links)}</ul></body></html>")
        title, body = corpus.ARTICLES[0]
        site.page("/feed.xml", "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                  "<title>f</title><item><title>只楚街道爆炸\r\nBcc: victim@evil.test 电话13912345678"
                  "</title><link>" + site.base + "/post/1</link><description>"
                  + "只楚街道发生爆炸，知情人手机13812345678。" * 5 + "</description>"
                  "<pubDate>Fri, 20 Nov 2026 09:30:00 +0800</pubDate></item></channel></rss>",
                  content_type="application/rss+xml; charset=utf-8")
        directory = write_config(tmp / "cfg", f"""\
            sources:
              - id: hostile
                name: 恶意站点
                kind: site
                urls: ["{site.base}/list.html"]
                allow_private: true
                max_pages: 1
              - id: hostile-feed
                name: 恶意订阅源
                kind: feed
                urls: ["{site.base}/feed.xml"]
                allow_private: true
            """)
        db = Database(f"sqlite:///{tmp / 'world.db'}")
        db.migrate()
        summaries = crawl_in_subprocess(directory, db.url, crawl=FAST)
        base = load_config(directory)
        every = [smtp.url("dept@zhifu.test"), hook.url(), "file://"]
        config = with_channels(base, {d.id: every for d in base.departments}, group_wait=timedelta(0))
        analyse_pending(db, config)
        detection = detect(db, config, AT)
        delivery = send_due(db, config, AT + timedelta(minutes=1))
        digest = build_digest(db, config, AT - timedelta(hours=12), AT + timedelta(minutes=5))
        weekly = build_weekly(db, config, "2026-W47", AT + timedelta(days=4))
        add_user(db, config, "duty1", PASSWORD, "duty", method="pbkdf2:sha256:1000")
        app = create_app(config, db, secret=TEST_SECRET)
        client = app.test_client()
        assert login(client, "duty1").status_code == 302
        with db.session() as s:
            warning_ids = list(s.scalars(select(Warning.id)))
            mentions = list(s.scalars(select(Mention)))
            deliveries = list(s.scalars(select(Delivery)))
            s.expunge_all()
        pages = {"inbox": client.get("/warnings").get_data(as_text=True),
                 "search": client.get("/search?q=只楚").get_data(as_text=True)}
        for wid in warning_ids:
            pages[f"warning {wid}"] = client.get(f"/warnings/{wid}").get_data(as_text=True)
        cli = {}
        for args in (["warnings", "list"], ["warnings", "show", str(warning_ids[0])]):
            done = subprocess.run([sys.executable, "-m", "yuqing.app.cli", *args], capture_output=True,
                                  text=True, timeout=120, env={**os.environ, "YUQING_DATABASE_URL": db.url,
                                                               "YUQING_CONFIG": directory, "COLUMNS": "300"})
            cli[" ".join(args)] = done.stdout + done.stderr
        files = {p.name: p.read_text(encoding="utf-8")
                 for p in (tmp / "home" / "deliveries").glob("*.md")}
        yield {"summaries": summaries, "detection": detection, "delivery": delivery,
               "mentions": mentions, "deliveries": deliveries, "mail": smtp.messages,
               "subjects": smtp.subjects(), "bodies": smtp.bodies(),
               "hooks": [json.dumps(p, ensure_ascii=False) for p in hook.received],
               "files": files, "digest_md": digest.markdown(), "digest_html": digest.html(),
               "weekly_html": weekly.html(), "pages": pages, "cli": cli}
        db.dispose()
    finally:
        site.stop()
        smtp.stop()
        hook.stop()
        os.environ.clear()
        os.environ.update(env_before)


def _readable(world) -> dict[str, str]:
    out = {f"subject {i}": s for i, s in enumerate(world["subjects"])}
    out.update({f"mail body {i}": b for i, b in enumerate(world["bodies"])})
    out.update({f"webhook {i}": h for i, h in enumerate(world["hooks"])})
    out.update({f"file {n}": t for n, t in world["files"].items()})
    out.update({"digest.md": world["digest_md"], "digest.html": world["digest_html"],
                "weekly.html": world["weekly_html"]})
    out.update({f"page {n}": p for n, p in world["pages"].items()})
    out.update({f"cli {n}": t for n, t in world["cli"].items()})
    return out


def test_nothing_is_lost(world):
    stored = {m.url.rsplit("/", 1)[-1] for m in world["mentions"]}
    assert {f"{i}.html" for i in range(len(corpus.ARTICLES))} <= stored
    assert "1" in stored or any("/post/1" in m.url for m in world["mentions"])
    assert world["detection"].opened >= 1
    assert world["deliveries"] and {d.status for d in world["deliveries"]} == {"sent"}
    assert world["subjects"] and world["hooks"] and world["files"]
    assert all(s.status in ("ok", "partial") for s in world["summaries"])


def test_nothing_unmasked_reaches_a_reader(world):
    leaks = {name: corpus.leaked(text) for name, text in _readable(world).items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_nothing_is_injected(world):
    for mail in world["mail"]:
        assert mail["Bcc"] is None and mail["X-Injected"] is None
    for name, text in _readable(world).items():
        assert not any(ch in text for ch in INVISIBLE), f"invisible characters in {name}"
        if name.startswith(("page", "digest.html", "weekly.html")):
            for forged in ("<script>alert", "<img src=x", "<iframe src=http://evil"):
                assert forged not in text, f"{forged} in {name}"
        if name.startswith(("file", "digest.md")):
            lines = text.splitlines()
            assert not any(line.startswith(("# 伪造", "# 又一个", "> 引用")) for line in lines), name
            assert not re.search(r"(?<!\\)\[点我(?<!\\)\]\(", text), name
            assert not re.search(r"(?<!\\)<!-- delivery (?:w2|g2-0000)", text), name
    for subject in world["subjects"]:
        assert "\n" not in subject and "\r" not in subject


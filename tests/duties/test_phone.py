"""Phones: the signed link in a notice acknowledges (or marks 已阅) without a password — scoped,
expiring, single-use, void after reassignment or close; and the inbox, warning page, HTML digest
and weekly report read well at 390 px in Chromium."""

from __future__ import annotations

import re
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.serving import make_server

from yuqing.alerts import phonelinks
from yuqing.alerts.reassign import reassign
from yuqing.alerts.respond import ActionError, close
from yuqing.reports.digest import build_digest
from yuqing.reports.weekly import build_weekly
from yuqing.signing import secret_key
from yuqing.storage.models import Assignment, Delivery, Warning
from yuqing.web import create_app
from yuqing.web.auth import add_user
from tests.duties.conftest import DEMO_AT, SECRET, heating_id

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse 42"


def notice_link(db, wid: int, department: str) -> str:
    with db.session() as s:
        body = s.scalar(select(Delivery.body).where(Delivery.warning_id == wid,
                                                    Delivery.department_id == department,
                                                    Delivery.key.like("w%")).order_by(Delivery.id))
    line = next(x for x in body.splitlines() if x.startswith(("手机签收", "手机标记已阅")))
    return line.split("：", 1)[1]


def token_of(link: str) -> str:
    return link.split("?t=", 1)[1]


def duty(db, wid, dept) -> Assignment:
    with db.session() as s:
        a = s.scalar(select(Assignment).where(Assignment.warning_id == wid, Assignment.department_id == dept))
        s.expunge(a)
        return a


def test_link_is_scoped_single_use_and_dies_with_reassignment_and_close(demo):
    config, db = demo
    wid = heating_id(db)
    link = notice_link(db, wid, "zhichu")
    assert f"/warnings/{wid}/phone?t=" in link
    token = token_of(link)
    with db.session() as s:
        with pytest.raises(ActionError, match="链接无效（可能被改动或截断）"):
            phonelinks.check(s, config, wid, token[:-3] + "abc")
        with pytest.raises(ActionError, match="链接与预警不符"):
            phonelinks.check(s, config, wid + 1, token)
        with pytest.raises(ActionError, match="链接已过期"):
            phonelinks.check(s, config, wid, token, max_age=-1)
        forged = URLSafeTimedSerializer(secret_key(), salt="warning-link").dumps({"w": wid, "d": "zhichu"})
        with pytest.raises(ActionError, match="链接无效"):
            phonelinks.check(s, config, wid, forged)           # a view link cannot act
    action, _ = phonelinks.use(db, config, wid, token, "李干事")
    assert action.action == "ack" and duty(db, wid, "zhichu").acknowledged_by == "李干事"
    with pytest.raises(ActionError, match="链接已使用：只楚街道办事处已由李干事签收"):
        phonelinks.use(db, config, wid, token, "张三")
    # the bureau's link dies when its duty moves away
    bureau = token_of(notice_link(db, wid, "zhujian"))
    reassign(db, config, wid, "值班员", "zhujian", "shijian", "测试改派")
    with pytest.raises(ActionError, match="已不再由区住房和城乡建设局承办（已改派），链接已失效"):
        phonelinks.use(db, config, wid, bureau, "王主任")
    # and every link dies with the warning's close
    office = token_of(notice_link(db, wid, "qzfb"))
    close(db, config, wid, "值班员", None, "测试关闭", confirmed=True)
    with pytest.raises(ActionError, match="已关闭，链接已失效"):
        phonelinks.use(db, config, wid, office, "值班员")
    assert duty(db, wid, "zhujian").acknowledged_at is None


@pytest.fixture
def phone_server(demo):
    config, db = demo
    add_user(db, config, "zhichu1", PASSWORD, "department", "zhichu", display_name="李干事",
             method="pbkdf2:sha256:1000")
    app = create_app(config, db, secret=SECRET)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", config, db
    server.shutdown()
    thread.join(5)


@pytest.fixture
def phone(phone_server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python 未安装")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium 未安装（Debian: apt-get install chromium）")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                      is_mobile=True, has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        browser.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide at 390px"


def small_targets(page, selector: str) -> list[str]:
    return page.evaluate("""(sel) => [...document.querySelectorAll(sel)]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; })
        .map(e => e.outerHTML.slice(0, 80))""", selector)


def test_phone_acknowledgement_at_390(phone, phone_server):
    base, config, db = phone_server
    wid = heating_id(db)
    link = notice_link(db, wid, "zhichu").replace(config.settings.delivery.dashboard_url.rstrip("/"), base)
    page = phone
    page.goto(link)
    assert "只楚街道办事处：本单位职责：处置 — 请于 14:00 前签收" in page.inner_text("main")
    assert page.evaluate("getComputedStyle(document.querySelector('input[name=actor]')).fontSize") == "16px"
    assert small_targets(page, "main button, main input[name=actor]") == []
    no_sideways_scroll(page)
    page.fill("input[name=actor]", "李干事")
    page.tap("#phone-act")
    page.wait_for_selector("#phone-done")
    assert "已签收" in page.inner_text("#phone-done")
    assert duty(db, wid, "zhichu").acknowledged_by == "李干事"
    # the same link again: used up, said in words
    page.goto(link)
    assert "链接已使用" in page.inner_text("#phone-error")
    with db.session() as s:
        assert [e.action for e in s.get(Warning, wid).events].count("签收") == 1

    # the inbox as cards, and the warning page with its actions at the top, after a login
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "zhichu1")
    page.fill("input[name=password]", PASSWORD)
    page.tap("button[type=submit]")
    page.wait_for_url(f"{base}/warnings")
    card = page.locator(f"#inbox tr[data-warning='{wid}']")
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.evaluate("getComputedStyle(document.querySelector('#inbox thead')).display") == "none"
    title = card.locator("td.title-cell a")
    # titles are not broken every 3 characters: the title's cell spans the card (measured on the
    # cell, since the text's own width depends on which CJK fonts the browser's machine has)
    assert card.locator("td.title-cell").bounding_box()["width"] > 250
    assert "本单位职责：处置" in card.inner_text() and "回应时限" in card.inner_text()
    assert small_targets(page, "#inbox td.title-cell a, header nav a, .tabs a") == []
    no_sideways_scroll(page)
    title.tap()
    page.wait_for_url(f"{base}/warnings/{wid}")
    actions = page.locator("#actions").bounding_box()
    evidence = page.locator("ol.evidence").bounding_box()
    assert actions["y"] < evidence["y"]
    assert page.evaluate("getComputedStyle(document.querySelector('#actions textarea')).fontSize") == "16px"
    assert small_targets(page, "#actions button, #actions input, #actions summary") == []
    no_sideways_scroll(page)


def test_digest_and_weekly_report_at_390(phone, phone_server, tmp_path):
    _, config, db = phone_server
    page = phone
    digest = build_digest(db, config, until=DEMO_AT + timedelta(hours=1))
    weekly = build_weekly(db, config, "2025-W03", at=DEMO_AT + timedelta(hours=1))
    for name, html in (("digest", digest.html()), ("weekly", weekly.html())):
        assert re.search(r'<meta name="viewport" content="width=device-width, initial-scale=1">', html)
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        page.goto(path.as_uri())
        no_sideways_scroll(page)
        size = page.evaluate("parseFloat(getComputedStyle(document.body.firstElementChild || document.body).fontSize)")
        assert size >= 14, (name, size)
    assert "区住房和城乡建设局（主管，未签收）：签收时限" in digest.markdown()

"""The dashboard in headless Chromium: what officers do with it, click by click."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from yuqing.storage.models import Warning
from tests.web.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("YUQING_SCREENSHOTS")      # a folder: keep screenshots to look at

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium 未安装（Debian: apt-get install chromium）"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python 未安装")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()



@pytest.fixture
def db_url(tmp_path):
    """SQLite only. The browser checks pages and clicks; the same rules run on every backend in test_access."""
    return f"sqlite:///{tmp_path / 'test.db'}"

def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/warnings")


def test_department_user_sees_only_theirs_and_acknowledges(page, live_server, db, scenario):
    sign_in(page, live_server, "zhichu1")
    rows = page.locator("#inbox tbody tr[data-warning]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-warning") == str(scenario["heating"])
    assert "冬季供暖" in rows.first.inner_text() and "剩余" in rows.first.inner_text()
    shot(page, "inbox-zhichu")
    rows.first.locator("a").first.click()
    page.wait_for_url(f"{live_server}/warnings/{scenario['heating']}")
    assert page.locator("#status").inner_text() == "待签收"
    assert page.locator("ol.evidence li").count() >= 8
    assert page.locator("#my-duty").inner_text().startswith("本单位职责：处置 — 请于 ")
    assert "前签收" in page.locator("#my-duty").inner_text()
    page.click("#acknowledge")
    page.wait_for_selector(".flash.info")
    assert "已签收" in page.locator(".flash").inner_text()
    assert "前签收" not in page.locator("#my-duty").inner_text() and "前回应" in page.locator("#my-duty").inner_text()
    assert "ZHICHU1" in page.locator("tr[data-department=zhichu]").inner_text()
    assert "未签收" in page.locator("tr[data-department=zhujian]").inner_text()
    assert page.locator("#acknowledge").count() == 0      # nothing left to acknowledge
    shot(page, "warning-acknowledged")
    with db.session() as s:
        w = s.get(Warning, scenario["heating"])
        assert {a.department_id for a in w.assignments if a.acknowledged_at} == {"zhichu"}


def test_duty_officer_reassigns(page, live_server, db, scenario):
    education = scenario["education"]
    sign_in(page, live_server, "duty1")
    assert page.locator("#inbox tbody tr[data-warning]").count() == 2
    page.goto(f"{live_server}/warnings/{education}")
    page.click("#reassign-box summary")
    page.select_option("select[name=from_department]", "xiangyang")
    page.select_option("select[name=to_department]", "dongshan")
    page.fill("#reassign-form input[name=reason]", "涉事学校位于东山街道辖区")
    page.click("#reassign")
    page.wait_for_selector(".flash.info")
    assert "已改派" in page.locator(".flash").inner_text()
    table = page.locator("table.list").first.inner_text()
    assert "东山街道办事处" in table and "向阳街道办事处（已改派）" in table
    assert "改派" in page.locator("ol.timeline").inner_text()
    shot(page, "warning-reassigned")
    with db.session() as s:
        w = s.get(Warning, education)
        assert {a.department_id for a in w.assignments if a.active} == {"jiaoti", "dongshan", "qzfb"}


def test_department_cannot_open_or_act_on_another_departments_warning(page, live_server, db, scenario):
    heating = scenario["heating"]
    sign_in(page, live_server, "xiangyang1")
    response = page.goto(f"{live_server}/warnings/{heating}")
    assert response.status == 403 and "无权" in page.inner_text("main")
    shot(page, "forbidden")
    page.goto(f"{live_server}/warnings")
    token = page.locator("input[name=csrf_token]").first.input_value()
    statuses = page.evaluate("""async ([url, token]) => {
        const post = (body) => fetch(url, {method: "POST", body: new URLSearchParams(body)}).then(r => r.status);
        return [await post({csrf_token: token}), await post({})];
    }""", [f"{live_server}/warnings/{heating}/acknowledge", token])
    assert statuses == [403, 400]       # with a valid token: not theirs; without one: refused first
    # a forged form on another site, submitted with the officer's session cookie
    page.route("http://evil.test/", lambda route: route.fulfill(content_type="text/html", body=f"""
        <form method="post" action="{live_server}/warnings/{heating}/close">
        <input name="reason" value="伪造"></form><script>document.forms[0].submit()</script>"""))
    with page.expect_response(f"{live_server}/warnings/{heating}/close") as forged:
        page.goto("http://evil.test/")
    assert forged.value.status in (400, 403)
    with db.session() as s:
        w = s.get(Warning, heating)
        assert w.status == "open" and all(a.acknowledged_at is None for a in w.assignments)
        assert [e.action for e in w.events] == ["开启"]


def test_search_and_correct_sentiment(page, live_server, db, scenario):
    sign_in(page, live_server, "zhichu1")
    page.goto(f"{live_server}/search")
    page.fill("input[name=q]", "暖气")
    page.select_option("select[name=place]", "zhichu")
    page.check("input[name=negative]")
    page.click("#search-form button")
    page.wait_for_url("**/search?**")
    assert int(page.inner_text("#total")) >= 8
    first = page.locator("ol.results li[data-mention]").first
    assert "138****5678" in first.inner_text() and "13812345678" not in page.content()
    mention_id = int(first.get_attribute("data-mention"))
    first.locator("button[value='1']").click()
    page.wait_for_selector(".flash.info")
    assert f"已将信息 {mention_id} 标为非负面" in page.inner_text(".flash")
    assert "q=%E6%9A%96%E6%B0%94" in page.url            # back on the same search
    shot(page, "search-corrected")
    from yuqing.storage.models import Mention
    with db.session() as s:
        assert s.get(Mention, mention_id).sentiment_corrected == 1.0
    page.goto(f"{live_server}/trends")
    shot(page, "trends")

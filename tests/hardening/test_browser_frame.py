"""Item 17 in real Chromium: a hostile page cannot frame the dashboard (clickjacking the
改派 or 签收 buttons), and an injected inline script does not run."""

from __future__ import annotations

import pytest

from tests.hardening.hostile_site import HostileServer
from tests.web.conftest import live_server  # noqa: F401
from tests.web.test_browser import CHROMIUM, browser, db_url, page, sign_in  # noqa: F401

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="Chromium 未安装")


def test_dashboard_refuses_to_be_framed(page, live_server):
    evil = HostileServer("127.0.0.24").start()
    try:
        evil.page("/", f'<html><body><h1>抽奖</h1><iframe id="f" src="{live_server}/login" '
                       'width="800" height="600"></iframe></body></html>')
        page.goto(evil.base + "/")
        page.wait_for_timeout(1500)
        framed = [f for f in page.frames if f != page.main_frame]
        assert framed, "the iframe element exists"
        # blocked by frame-ancestors / X-Frame-Options: the frame holds no login form
        assert all(f.locator("input[name=password]").count() == 0 for f in framed)
    finally:
        evil.stop()


def test_inline_script_without_nonce_does_not_run(page, live_server):
    page.goto(f"{live_server}/login")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = 1'; document.body.appendChild(s); }""")
    assert page.evaluate("() => window.injected") is None

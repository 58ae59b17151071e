"""Items 11, 12, 13, 16, 17 against the real Flask app: open redirects after login, login
throttling that never locks a user out for good, sessions that end on logout and on a password
change (also from `yuqing users passwd`), the Origin check behind a reverse proxy, and the
headers that stop framing, foreign scripts, Referer leaks and MIME sniffing."""

from __future__ import annotations

import subprocess
from urllib.parse import unquote
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import TEST_SECRET
from tests.web.conftest import PASSWORD, csrf_of, login
from yuqing.web import create_app
from yuqing.web.throttle import MAX_WAIT, LoginThrottle


@pytest.mark.parametrize("target", [
    "/%09/evil.test", "/\t/evil.test", "//evil.test/", "/\\evil.test", "http://evil.test/",
    "/\r\nSet-Cookie: x=1", "/\n/evil.test", " //evil.test", "/ /evil.test", "javascript:alert(1)",
])
def test_login_never_redirects_off_site(client, target):
    from urllib.parse import unquote

    page = client.get("/login").get_data(as_text=True)
    reply = client.post("/login", data={"username": "duty1", "password": PASSWORD,
                                        "csrf_token": csrf_of(page), "next": unquote(target)})
    assert reply.status_code == 302
    assert reply.headers["Location"] == "/" or reply.headers["Location"].startswith("/warnings")
    assert "Set-Cookie: x" not in str(reply.headers)


def test_login_keeps_a_real_next(client):
    page = client.get("/login").get_data(as_text=True)
    reply = client.post("/login", data={"username": "duty1", "password": PASSWORD,
                                        "csrf_token": csrf_of(page), "next": "/search?q=暖气"})
    assert unquote(reply.headers["Location"]) == "/search?q=暖气"


def test_guessing_is_slowed_but_the_user_is_never_locked_out_for_good(app):
    attacker, user = app.test_client(), app.test_client()
    codes = [login(attacker, "duty1", "wrong").status_code for _ in range(8)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    # even the right password is not checked from the guessing address while it waits
    refused = login(attacker, "duty1")
    assert refused.status_code == 429 and "分钟后再试" in refused.get_data(as_text=True)
    # the real user at their own desk gets in
    user.environ_base["REMOTE_ADDR"] = "10.2.3.4"
    assert login(user, "duty1").status_code == 302


def test_every_wait_ends(monkeypatch):
    clock = [0.0]
    throttle = LoginThrottle(clock=lambda: clock[0])
    for _ in range(500):                             # a botnet hammering one account
        throttle.failed("duty1", "203.0.113.9")
    assert 0 < throttle.wait("duty1", "198.51.100.7") <= MAX_WAIT
    clock[0] += MAX_WAIT + 1
    assert throttle.wait("duty1", "198.51.100.7") == 0
    assert throttle.wait("duty1", "203.0.113.9") == 0


def test_a_flood_of_logins_is_told_to_wait_not_queued(app):
    """300 parallel attempts: at most a few password checks at once, the rest answered fast."""
    throttle = app.extensions["yuqing"]["throttle"]
    running, peak, lock = [0], [0], threading.Lock()
    real = __import__("yuqing.web.auth", fromlist=["authenticate"]).authenticate

    def counting(*args, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    import yuqing.web.auth as auth
    auth.authenticate, saved = counting, auth.authenticate
    try:
        def attempt(i):
            c = app.test_client()
            c.environ_base["REMOTE_ADDR"] = f"10.9.{i // 250}.{i % 250}"
            return login(c, f"nobody{i}", "wrong").status_code

        with ThreadPoolExecutor(32) as pool:
            codes = list(pool.map(attempt, range(300)))
    finally:
        auth.authenticate = saved
    assert set(codes) <= {401, 429} and peak[0] <= throttle.checks._initial_value


def _signed_in(app, user="duty1"):
    c = app.test_client()
    assert login(c, user).status_code == 302
    assert c.get("/warnings").status_code == 200
    return c


def test_logout_ends_the_session_on_the_server(app):
    c = _signed_in(app)
    stolen = c.get_cookie("session").value            # what an attacker copied earlier
    page = c.get("/warnings").get_data(as_text=True)
    assert c.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/warnings").status_code == 302       # to the login page


def test_password_change_ends_the_other_sessions(app):
    here, elsewhere = _signed_in(app), _signed_in(app)
    page = here.get("/password").get_data(as_text=True)
    reply = here.post("/password", data={"csrf_token": csrf_of(page), "current": PASSWORD,
                                         "new": "a new passphrase 7", "again": "a new passphrase 7"})
    assert reply.status_code == 302
    assert here.get("/warnings").status_code == 200
    assert elsewhere.get("/warnings").status_code == 302
    assert login(app.test_client(), "duty1", "a new passphrase 7").status_code == 302


def test_password_change_needs_the_current_password(app):
    c = _signed_in(app)
    page = c.get("/password").get_data(as_text=True)
    reply = c.post("/password", data={"csrf_token": csrf_of(page), "current": "wrong",
                                      "new": "a new passphrase 7", "again": "a new passphrase 7"})
    assert reply.status_code == 400 and "当前密码不正确" in reply.get_data(as_text=True)


def test_users_passwd_command_ends_every_session(app, db_url, tmp_path):
    c = _signed_in(app)
    done = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "users", "passwd", "duty1",
                           "--password-stdin"], input="from the command line 9\n", text=True,
                          capture_output=True, timeout=120,
                          env={**__import__("os").environ, "YUQING_DATABASE_URL": db_url})
    assert done.returncode == 0, done.stderr
    assert "已退出" in done.stdout
    assert c.get("/warnings").status_code == 302


def test_origin_check_behind_a_proxy_that_rewrites_host(db, default_config, scenario, monkeypatch):
    """nginx's default `proxy_set_header Host $proxy_host`: the app sees 127.0.0.1:8000."""
    settings = default_config.settings.model_copy(update={
        "delivery": default_config.settings.delivery.model_copy(
            update={"dashboard_url": "https://yuqing.zhifu.test"})})
    app = create_app(default_config.model_copy(update={"settings": settings}), db, secret=TEST_SECRET)
    c = app.test_client()
    page = c.get("/login", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    ok = c.post("/login", base_url="http://127.0.0.1:8000",
                headers={"Origin": "https://yuqing.zhifu.test"},
                data={"username": "duty1", "password": PASSWORD, "csrf_token": csrf_of(page)})
    assert ok.status_code == 302
    evil = c.post("/logout", base_url="http://127.0.0.1:8000", headers={"Origin": "https://evil.test"},
                  data={"csrf_token": csrf_of(page)})
    assert evil.status_code == 403
    # the dashboard served over https marks its cookie Secure
    assert "Secure" in ok.headers["Set-Cookie"]


def test_trusted_proxy_headers_only_when_configured(db, default_config, scenario, monkeypatch):
    monkeypatch.setenv("YUQING_TRUSTED_PROXIES", "1")
    app = create_app(default_config, db, secret=TEST_SECRET)
    c = app.test_client()
    headers = {"X-Forwarded-Host": "yuqing.zhifu.test", "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "10.7.7.7", "Origin": "https://yuqing.zhifu.test"}
    page = c.get("/login", headers=headers).get_data(as_text=True)
    reply = c.post("/login", headers=headers, data={"username": "duty1", "password": PASSWORD,
                                                    "csrf_token": csrf_of(page)})
    assert reply.status_code == 302
    monkeypatch.setenv("YUQING_TRUSTED_PROXIES", "abc")
    with pytest.raises(ValueError, match="YUQING_TRUSTED_PROXIES"):
        create_app(default_config, db, secret=TEST_SECRET)


@pytest.mark.parametrize("path", ["/login", "/warnings", "/search", "/static/style.css"])
def test_security_headers_on_every_response(app, path):
    c = _signed_in(app)
    reply = c.get(path)
    csp = reply.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"

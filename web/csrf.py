"""CSRF protection: a per-session secret token in every form, checked on every unsafe request.

The synchronizer-token pattern, as Flask-WTF's CSRFProtect does it, in a few lines instead of
a dependency: the dashboard has no other use for WTForms. The token lives in the signed session
cookie (SameSite=Lax), is compared in constant time, and a cross-origin `Origin` header is
refused even with a token. "Same origin" is the host the request was sent to, or the host of
the configured dashboard address: behind a reverse proxy that rewrites Host (nginx's default
`proxy_set_header Host $proxy_host`) the request names the upstream, not what the browser saw.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, request, session

FIELD = "csrf_token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def token() -> str:
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def rotate() -> None:
    """A fresh token at login, so a token seen before login is worth nothing after."""
    session[FIELD] = secrets.token_urlsafe(32)


def protect(app: Flask, dashboard_url: str = "") -> None:
    app.jinja_env.globals["csrf_token"] = token
    configured = urlsplit(dashboard_url).netloc.lower()

    @app.before_request
    def _check():
        if request.method in SAFE:
            return None
        origin = request.headers.get("Origin")
        if origin and origin != "null" and \
                urlsplit(origin).netloc.lower() not in {request.host.lower(), configured}:
            abort(403, "跨站提交已被拒绝。")
        sent = request.form.get(FIELD) or request.headers.get("X-CSRF-Token") or ""
        expected = session.get(FIELD) or ""
        if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
            abort(400, "表单已失效或缺少安全校验码，请刷新页面后重试。")
        return None

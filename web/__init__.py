"""The dashboard (值班与处置平台): Flask, server-rendered.

`create_app(config, db)` builds the app from a loaded config and an open database; nothing is
read from globals, so tests run several apps side by side.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template
from werkzeug.routing import IntegerConverter

from yuqing.config.models import Config
from yuqing.reports.render import SEVERITY_COLOURS, STATUS, clock, md, span
from yuqing.storage.db import Database
from yuqing.alerts.external import unmark
from yuqing.analysis.privacy import mask
from yuqing.analysis.speakers import Speakers
from yuqing.signing import check_secret, secret_key
from yuqing.timeutil import fmt

HERE = Path(__file__).resolve().parent


def create_app(config: Config, db: Database, secret: str | None = None) -> Flask:
    from yuqing.web import api, auth, csrf, events, headers, mentions, metrics, phone, trends, warnings

    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.url_map.converters["int"] = _DatabaseId
    app.config.update(
        SECRET_KEY=check_secret(secret, "网页密钥") if secret is not None else secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",      # cross-site POSTs carry no session (with the CSRF token)
        # served over HTTPS (the address in messages says so): the cookie never travels in clear
        SESSION_COOKIE_SECURE=config.settings.delivery.dashboard_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),   # one shift and a bit
        MAX_CONTENT_LENGTH=1 << 20,
    )
    app.extensions["yuqing"] = {"config": config, "db": db}
    app.jinja_env.filters.update(fmt=fmt, mask=mask, span=span, md=md, unmark=unmark)
    app.jinja_env.globals.update(STATUS=STATUS, SEVERITY_COLOURS=SEVERITY_COLOURS, clock=clock,
                                 district=config.settings.district, speaker=Speakers(config))
    csrf.protect(app, config.settings.delivery.dashboard_url)
    headers.protect(app)
    auth.init(app)
    for module in (auth, warnings, phone, mentions, trends, api, metrics, events):
        app.register_blueprint(module.bp)

    proxies = trusted_proxies()
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    for code, title in ((400, "请求无效"), (403, "无权访问"), (404, "页面不存在"), (405, "不支持的操作")):
        app.register_error_handler(code, _error_page(code, title))
    return app


class _DatabaseId(IntegerConverter):
    """<int:…> in every route: past a 64-bit integer there is no such row, and the database
    driver would raise (a 500) instead of answering 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def trusted_proxies() -> int:
    """YUQING_TRUSTED_PROXIES: how many reverse proxies stand in front of the dashboard. Only
    then are X-Forwarded-For/-Proto/-Host believed (client address for login throttling,
    https for cookies, the host for the Origin check); 0 (default) believes none of them."""
    raw = os.environ.get("YUQING_TRUSTED_PROXIES", "0").strip() or "0"
    if not raw.isdigit() or int(raw) > 5:
        raise ValueError(f"YUQING_TRUSTED_PROXIES 应为 0–5 的整数（前面有几层反向代理），现为“{raw}”")
    return int(raw)


def _error_page(code: int, title: str):
    def handler(exc):
        return render_template("error.html", code=code, title=title,
                               message=getattr(exc, "description", "")), code

    return handler

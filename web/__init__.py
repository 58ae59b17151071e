"""The dashboard (值班与处置平台): Flask, server-rendered.

`create_app(config, db)` builds the app from a loaded config and an open database; nothing is
read from globals, so tests run several apps side by side.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template

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
    from yuqing.web import api, auth, csrf, events, mentions, metrics, phone, trends, warnings

    app = Flask(__name__, template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"))
    app.config.update(
        SECRET_KEY=check_secret(secret, "网页密钥") if secret is not None else secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",      # cross-site POSTs carry no session (with the CSRF token)
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),   # one shift and a bit
        MAX_CONTENT_LENGTH=1 << 20,
    )
    app.extensions["yuqing"] = {"config": config, "db": db}
    app.jinja_env.filters.update(fmt=fmt, mask=mask, span=span, md=md, unmark=unmark)
    app.jinja_env.globals.update(STATUS=STATUS, SEVERITY_COLOURS=SEVERITY_COLOURS, clock=clock,
                                 district=config.settings.district, speaker=Speakers(config))
    csrf.protect(app)
    auth.init(app)
    for module in (auth, warnings, phone, mentions, trends, api, metrics, events):
        app.register_blueprint(module.bp)

    for code, title in ((400, "请求无效"), (403, "无权访问"), (404, "页面不存在"), (405, "不支持的操作")):
        app.register_error_handler(code, _error_page(code, title))
    return app


def _error_page(code: int, title: str):
    def handler(exc):
        return render_template("error.html", code=code, title=title,
                               message=getattr(exc, "description", "")), code

    return handler

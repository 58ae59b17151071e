"""Dashboard fixtures: the scripted heating week, three users, a test client and a live server."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_SECRET
from tests.reports.scenario import AT, heating_event
from yuqing.web import create_app
from yuqing.web.auth import add_user

PASSWORD = "correct horse 42"
USERS = {  # username: (role, department)
    "zhichu1": ("department", "zhichu"),         # 只楚街道: holds the heating warning (处置)
    "xiangyang1": ("department", "xiangyang"),   # 向阳街道: holds only the education warning
    "duty1": ("duty", None),
}


@pytest.fixture
def scenario(db, default_config, monkeypatch):
    """Warnings by topic, with the clock pinned an hour after detection."""
    ids = heating_event(db, default_config)
    for name, (role, dept) in USERS.items():
        # a cheap hash keeps each test fast; production users get werkzeug's scrypt default
        add_user(db, default_config, name, PASSWORD, role, dept, display_name=name.upper(),
                 method="pbkdf2:sha256:1000")
    monkeypatch.setenv("YUQING_NOW", (AT + timedelta(hours=1)).isoformat())
    return ids


@pytest.fixture
def app(db, default_config, scenario):
    app = create_app(default_config, db, secret=TEST_SECRET)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, username: str, password: str = PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page)})


@pytest.fixture
def live_server(app):
    """The app on a real loopback port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)

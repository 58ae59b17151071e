"""Signed links in messages: a department opens its warning without hunting for it."""

from __future__ import annotations

import os
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

from yuqing.paths import home

LINK_MAX_AGE = 30 * 86400


def secret_key() -> str:
    """YUQING_SECRET, else a random key kept in YUQING_HOME (created once, owner-only)."""
    if os.environ.get("YUQING_SECRET"):
        return os.environ["YUQING_SECRET"]
    path = home() / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(), salt="warning-link")


def sign_warning(warning_id: int, department_id: str) -> str:
    return _serializer().dumps({"w": warning_id, "d": department_id})


def verify_warning(token: str, max_age: int = LINK_MAX_AGE) -> tuple[int, str] | None:
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    return int(data["w"]), str(data["d"])


def warning_link(base_url: str, warning_id: int, department_id: str) -> str:
    return f"{base_url.rstrip('/')}/warnings/{warning_id}?t={sign_warning(warning_id, department_id)}"

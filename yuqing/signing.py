"""Signed links in messages: a department opens its warning without hunting for it."""

from __future__ import annotations

import os
import secrets

from yuqing.paths import home

LINK_MAX_AGE = 30 * 86400
# The key signs dashboard sessions and every link in a message: whoever knows it can sign in
# as any duty officer. 32 characters is 128+ bits from a generator; shorter ones are typed.
MIN_SECRET_CHARS = 32
# Values from our own examples and the usual placeholders: public, so worthless as keys.
EXAMPLE_SECRETS = {"请替换为随机长字符串", "test-secret", "changeme", "change-me", "secret",
                   "your-secret", "replace-me", "please-change-me", "simulation"}
_PLACEHOLDER_WORDS = ("请替换", "替换为", "随机长字符串", "changeme", "change-me", "change_me",
                      "replace", "example", "placeholder", "your_secret", "your-secret")
HOW_TO = "生成方法：python3 -c 'import secrets; print(secrets.token_hex(32))'"


class SecretError(RuntimeError):
    """A signing secret that must not be used, with a Chinese reason and the fix."""


def check_secret(value: str, origin: str = "YUQING_SECRET") -> str:
    """The secret if it is fit to sign sessions and links; SecretError otherwise."""
    key = value.strip()
    lowered = key.lower()
    if key in EXAMPLE_SECRETS or any(word in lowered for word in _PLACEHOLDER_WORDS):
        raise SecretError(f"{origin} 仍是示例值，任何人都能用它伪造值班人员的登录和签名链接，"
                          f"拒绝启动。请换成随机生成的长字符串（{HOW_TO}），"
                          "或删除该设置，由系统在 YUQING_HOME 中自动生成 secret.key。")
    if len(key) < MIN_SECRET_CHARS or len(set(key)) < 8:
        raise SecretError(f"{origin} 太短或太简单（{len(key)} 个字符，至少 {MIN_SECRET_CHARS} 个且"
                          f"不能是重复字符），拒绝启动。{HOW_TO}")
    return key


def secret_key() -> str:
    """YUQING_SECRET, else a random key kept in YUQING_HOME (created once, owner-only from
    the first byte: never written world-readable and chmod'ed after). Checked every time."""
    if os.environ.get("YUQING_SECRET", "").strip():
        return check_secret(os.environ["YUQING_SECRET"])
    path = home() / "secret.key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass                      # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return check_secret(path.read_text(), str(path))


def _serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret_key(), salt="warning-link")


def sign_warning(warning_id: int, department_id: str) -> str:
    return _serializer().dumps({"w": warning_id, "d": department_id})


def verify_warning(token: str, max_age: int = LINK_MAX_AGE) -> tuple[int, str] | None:
    from itsdangerous import BadSignature

    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    return int(data["w"]), str(data["d"])


def warning_link(base_url: str, warning_id: int, department_id: str) -> str:
    return f"{base_url.rstrip('/')}/warnings/{warning_id}?t={sign_warning(warning_id, department_id)}"

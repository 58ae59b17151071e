"""Item 5: the example secret from deploy/yuqing.env.example (or any short one) signs nothing:
the dashboard, the CLI and the scheduler refuse to start with it, and say how to make one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from yuqing.signing import SecretError, check_secret, secret_key
from yuqing.web import create_app

from tests.conftest import REPO

EXAMPLE = next(line.split("=", 1)[1] for line in
               (REPO / "deploy" / "yuqing.env.example").read_text(encoding="utf-8").splitlines()
               if line.lstrip("# ").startswith("YUQING_SECRET="))


@pytest.mark.parametrize("value", ["请替换为随机长字符串", "请替换为随机长字符串请替换为随机长字符串请替换为随机长字符串",
                                   "test-secret", "changeme-changeme-changeme-changeme",
                                   "a" * 64, "short-but-random-9f2c", ""])
def test_weak_secrets_are_refused(value):
    with pytest.raises(SecretError):
        check_secret(value)


def test_the_shipped_example_is_refused_by_the_dashboard(monkeypatch, default_config, db):
    monkeypatch.setenv("YUQING_SECRET", "请替换为随机长字符串")
    with pytest.raises(SecretError, match="示例值"):
        create_app(default_config, db)
    with pytest.raises(SecretError):
        create_app(default_config, db, secret="test-secret")


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "yuqing.app.cli", "web", "--port", "0"],
    [sys.executable, "-m", "yuqing.app.scheduler", "--once"],
])
def test_commands_refuse_to_start_with_the_example(command, tmp_path):
    env = {**os.environ, "YUQING_SECRET": "请替换为随机长字符串",
           "YUQING_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "示例值" in done.stdout + done.stderr and "token_hex" in done.stdout + done.stderr


def test_generated_key_is_owner_only_from_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("YUQING_SECRET")
    monkeypatch.setenv("YUQING_HOME", str(tmp_path / "fresh"))
    old = os.umask(0o022)
    try:
        key = secret_key()
    finally:
        os.umask(old)
    path = tmp_path / "fresh" / "secret.key"
    assert len(key) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert secret_key() == key


def test_example_file_ships_no_secret_to_copy():
    assert EXAMPLE.strip() == ""      # empty: the system makes its own random key

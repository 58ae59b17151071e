"""`yuqing users add`, `yuqing web export-corrections`, and the `web` command's wiring."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from yuqing.storage.models import User
from yuqing.web.corrections import correct
from yuqing.app.cli import build_parser, main



@pytest.fixture
def db_url(tmp_path):
    """SQLite only. Command wiring; the queries behind it run on every backend elsewhere."""
    return f"sqlite:///{tmp_path / 'test.db'}"

def test_users_add_reads_the_password_from_stdin(db, monkeypatch, capsys):
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    assert main(["--config", "default", "users", "add", "wang", "--role", "department",
                 "--department", "zhichu", "--password-stdin"]) == 0
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "wang"))
        assert (user.role, user.department_id, user.active) == ("department", "zhichu", True)
        assert user.password_hash.startswith("scrypt:")
        assert check_password_hash(user.password_hash, "s3cret-password")


def test_users_add_explains_mistakes(db, monkeypatch, capsys):
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    cases = [
        (["li", "--role", "department"], "部门用户必须用 --department 指定所属部门"),
        (["li", "--role", "department", "--department", "nowhere"], "部门“nowhere”未在 departments.yaml 中定义"),
        (["li", "--role", "duty"], "密码至少 8 位"),
    ]
    for argv, message in cases:
        monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
        assert main(["--config", "default", "users", "add", *argv, "--password-stdin"]) == 2
        assert message in capsys.readouterr().out


def test_export_corrections_command(db, monkeypatch, tmp_path, capsys):
    from tests.factories import add_mention
    from yuqing.timeutil import now

    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    mention = add_mention(db, when=now(), title="供热公司服务态度很好", content="上门检修很及时")
    correct(db, mention, 1, "duty1", None)
    out = tmp_path / "corrections.tsv"
    assert main(["--config", "default", "web", "export-corrections", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "label\ttext\n1\t供热公司服务态度很好。上门检修很及时\n"
    assert "已导出 1 条" in capsys.readouterr().out


def test_web_command_options():
    args = build_parser().parse_args(["web", "--host", "0.0.0.0", "--port", "8080"])
    assert (args.host, args.port, args.func.__name__) == ("0.0.0.0", 8080, "cmd_serve")
    args = build_parser().parse_args(["web", "export-corrections", "--out", "x.tsv"])
    assert args.func.__name__ == "cmd_export_corrections"

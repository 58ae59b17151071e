"""Low items: data written by the system is owner-only (database, digests, notices, logs),
and no database address appears on a child process's command line (any local user can read
/proc/<pid>/cmdline)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from yuqing.crawlers.runner import crawl_in_subprocess

from tests.crawlers.edgesites import FAST, write_config
from tests.hardening.hostile_site import HostileServer


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def test_files_written_by_commands_are_owner_only(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "YUQING_HOME": str(home)}        # the default SQLite database in it
    env.pop("YUQING_DATABASE_URL", None)
    old = os.umask(0o022)            # a typical login shell
    try:
        for args in (["db", "upgrade"], ["digest", "--html"]):
            done = subprocess.run([sys.executable, "-m", "yuqing.app.cli", *args], env=env,
                                  capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stderr
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    modes = _modes(home)
    assert "yuqing.db" in modes
    loose = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert loose == {}


def test_database_address_is_not_on_the_crawler_command_line(tmp_path):
    site = HostileServer("127.0.0.26").start()
    seen: list[bytes] = []

    def look(_path):
        for proc in Path("/proc").iterdir():
            try:
                cmd = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if b"yuqing.crawlers.runner" in cmd:
                seen.append(cmd)

    site.hook = look
    site.page("/list.html", "<html><body><ul class='news-list'><li><a href='/a.html'>芝罘区通知公告第一号</a></li></ul></body></html>")
    url = f"sqlite:///{tmp_path / 'secret-name.db'}"
    from yuqing.storage.db import Database
    Database(url).migrate()
    try:
        crawl_in_subprocess(write_config(tmp_path / "cfg", f"""\
            sources:
              - id: s
                name: 站点
                kind: site
                urls: ["{site.base}/list.html"]
                allow_private: true
            """), url, crawl=FAST)
    finally:
        site.stop()
    assert seen and not any(b"secret-name.db" in cmd for cmd in seen)

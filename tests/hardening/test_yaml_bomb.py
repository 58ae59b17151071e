"""Low item: a 452-byte YAML alias bomb ("billion laughs") in a config file is refused at
once with a clear Chinese problem, by `yuqing config check` itself."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.crawlers.edgesites import write_config

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_quickly(tmp_path):
    directory = write_config(tmp_path / "cfg", "sources: []\n")
    (tmp_path / "cfg" / "topics.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "config", "check", directory],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "YAML 展开后过大" in done.stdout + done.stderr
    assert time.monotonic() - started < 60


def test_ordinary_anchors_still_work(tmp_path):
    from yuqing.config.loader import _safe_load

    assert _safe_load("x: &w [暖气, 供热]\ny: *w\n") == {"x": ["暖气", "供热"], "y": ["暖气", "供热"]}

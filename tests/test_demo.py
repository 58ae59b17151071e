"""The README's first command: `yuqing demo` runs the whole pipeline on the sample sites."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_prints_a_digest_with_a_routed_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUQING_")}
    env["YUQING_HOME"] = str(tmp_path / "var")
    proc = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "demo"], capture_output=True,
                          text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "芝罘区舆情值班摘要" in out and "新增预警" in out
    # a newcomer sees the 人民网领导留言板 board and the imported 12345 work orders as channels
    channels = next(line for line in out.splitlines() if line.startswith("按渠道："))
    assert "人民网领导留言板" in channels and "12345热线" in channels
    # the scripted heating complaints in 只楚街道 reach both responsible departments
    assert "只楚街道“冬季供暖”负面舆情上升" in out
    assert "区住房和城乡建设局（主管" in out and "只楚街道办事处（处置" in out
    demo_home = tmp_path / "var" / "demo"
    assert (demo_home / "yuqing.db").exists() and (demo_home / "digest.md").exists()
    delivered = (demo_home / "deliveries" / "zhichu.md").read_text(encoding="utf-8")
    assert "职责：处置" in delivered and "只楚街道" in delivered

"""The README's first command: `yuqing demo` runs the whole pipeline on the sample sites."""

from __future__ import annotations

import json
import os
import sqlite3
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
    # issue 12's done-when: the heating complaint is one event, with its first report, its
    # spread path across channels and a summary quoting its own mentions
    env["YUQING_HOME"] = str(demo_home)
    listed = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "--config", "demo", "events", "list",
                             "--json", "--limit", "50"], capture_output=True, text=True, env=env, timeout=300)
    assert listed.returncode == 0, listed.stderr[-3000:]
    events = json.loads(listed.stdout)
    heating = [e for e in events if e["place"]["name"] == "只楚街道" and e["topic"]["name"] == "冬季供暖"
               and e["counts"]["mentions"] > 1]
    assert len(heating) == 1, [(e["title"], e["counts"]["mentions"]) for e in heating]
    [e] = heating
    assert e["counts"]["mentions"] >= 22 and "葡萄山社区" in e["communities"]
    assert e["first_report"]["url"] in e["mentions"] and "的微博" not in e["title"]
    assert {"留言板", "微博", "新闻网站"} <= {step["channel"] for step in e["spread_path"]}
    assert 2 <= len(e["summary"]) <= 3 and all(x["url"] in e["mentions"] for x in e["summary"])
    hot = out.split("五、负面热点")[1].split("## 六")[0]
    assert e["title"] in hot.split("\n2. ")[0]
    with sqlite3.connect(demo_home / "yuqing.db") as conn:
        assert conn.execute("SELECT count(*) FROM mentions WHERE title LIKE '%的微博%'").fetchone() == (0,)

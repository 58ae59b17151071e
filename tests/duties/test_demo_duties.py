"""Done-when, on the demo: the 处置 street office cannot close the heating warning (CLI and
dashboard); after it responds, `warnings show --json` shows 区住建局 still unresponded, and the
weekly report and `yuqing status` do not credit 区住建局 with the street office's response."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from yuqing.app.cli import main
from yuqing.reports.weekly import build_weekly
from yuqing.web import create_app
from yuqing.web.auth import add_user
from tests.duties.conftest import DEMO_AT, SECRET, heating_id

PASSWORD = "correct horse 42"


def _json(capsys, *argv) -> dict | list:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_street_office_cannot_close_and_its_response_is_its_own(demo, capsys, monkeypatch):
    config, db = demo
    wid = heating_id(db)
    shown = _json(capsys, "warnings", "show", str(wid), "--json")
    roles = {d["name"]: d["role"] for d in shown["departments"]}
    assert shown["severity"] in ("较大", "重大") and roles["区住房和城乡建设局"] == "主管" and roles["只楚街道办事处"] == "处置"

    assert main(["warnings", "close", str(wid), "--actor", "李干事", "--department", "zhichu", "--yes"]) == 1
    assert "只楚街道办事处在预警 1 中的职责是处置，无权关闭" in capsys.readouterr().err
    monkeypatch.setenv("YUQING_NOW", (DEMO_AT + timedelta(minutes=20)).isoformat())
    assert main(["warnings", "respond", str(wid), "--actor", "李干事", "--department", "只楚街道办事处",
                 "--text", "街道已会同热力公司入户排查，葡萄山小区今日恢复供暖"]) == 0
    capsys.readouterr()
    assert main(["warnings", "close", str(wid), "--actor", "李干事", "--department", "zhichu", "--yes"]) == 1
    assert "无权关闭" in capsys.readouterr().err

    depts = {d["id"]: d for d in _json(capsys, "warnings", "show", str(wid), "--json")["departments"]}
    assert depts["zhichu"]["state"] == "responded" and depts["zhichu"]["responded_at"] == "2025-01-15T10:20:00+08:00"
    assert depts["zhujian"]["responded_at"] is None and depts["zhujian"]["state"] == "open"
    listed = _json(capsys, "warnings", "list", "--json")
    assert next(w for w in listed if w["id"] == wid)["status"] == "open"

    # the weekly report and `yuqing status` credit the street office, not 区住建局
    report = build_weekly(db, config, "2025-W03", at=DEMO_AT + timedelta(hours=1))
    rows = {r.department_id: r for r in report.departments}
    assert (rows["zhichu"].responded, rows["zhichu"].respond_on_time) == (1, 1)
    assert (rows["zhujian"].responded, rows["zhujian"].respond_on_time) == (0, 0)
    assert rows["zhujian"].respond_pending == 1 and rows["zhujian"].overdue_open == 0   # 未到期, not late
    html = report.html()
    zhujian = html.split('data-department="zhujian"')[1].split("</tr>")[0]
    assert 'data-label="按时回应" class="n">0 / 1</td>' in zhujian
    assert 'data-label="未到期" class="n">2</td>' in zhujian                 # 签收 and 回应 both still running
    assert 'data-label="超时未回应" class="n ">0</td>' in zhujian
    for hours, zhujian_late, zhujian_pending in ((1, 0, 1), (60, 1, 0)):    # its own clock ran out
        monkeypatch.setenv("YUQING_NOW", (DEMO_AT + timedelta(hours=hours)).isoformat())
        assert main(["status", "--json"]) in (0, 1)
        status = {d["department_id"]: d for d in json.loads(capsys.readouterr().out)["departments"]}
        assert (status["zhichu"]["respond_on_time"], status["zhichu"]["respond_late"]) == (1, 0)
        assert (status["zhujian"]["respond_on_time"], status["zhujian"]["respond_late"],
                status["zhujian"]["respond_pending"]) == (0, zhujian_late, zhujian_pending)


def test_dashboard_refuses_the_street_office_closing(demo):
    config, db = demo
    wid = heating_id(db)
    add_user(db, config, "zhichu1", PASSWORD, "department", "zhichu", display_name="李干事",
             method="pbkdf2:sha256:1000")
    app = create_app(config, db, secret=SECRET)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "zhichu1", "password": PASSWORD, "csrf_token": token})
    html = client.get(f"/warnings/{wid}").get_data(as_text=True)
    assert "本单位职责：处置 — 请于 14:00 前签收，1月17日 10:00 前回应" in html
    assert 'id="close"' not in html and "关闭须由主管部门回应后办理" in html
    assert html.index('id="actions"') < html.index("<h2>证据")            # actions at the top
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    refused = client.post(f"/warnings/{wid}/close", follow_redirects=True,
                          data={"csrf_token": token, "reason": "已处理", "confirm": "yes"})
    assert "只楚街道办事处在预警 1 中的职责是处置，无权关闭" in refused.get_data(as_text=True)
    with db.session() as s:
        from yuqing.storage.models import Warning

        assert s.get(Warning, wid).closed_at is None
    inbox = client.get("/warnings").get_data(as_text=True)
    row = inbox.split(f'data-warning="{wid}"')[1].split("</tr>")[0]
    assert "本单位职责：处置 — 请于 14:00 前签收，1月17日 10:00 前回应" in row and "签收时限" in row

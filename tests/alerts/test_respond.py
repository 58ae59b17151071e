"""The warning life cycle, its audit trail, the CLI for each action, and the signed link."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.reassign import reassign
from yuqing.alerts.respond import ActionError, acknowledge, close, respond
from yuqing.storage.models import Delivery, Warning
from tests.alerts.helpers import NOW, baseline, spike
from yuqing.app.cli import main
from yuqing.signing import verify_warning


@pytest.fixture
def warning_id(db, alert_config):
    baseline(db)
    spike(db, 5)
    detect(db, alert_config, NOW)
    with db.session() as s:
        return s.scalar(select(Warning.id))


def state(db, wid):
    with db.session() as s:
        w = s.get(Warning, wid)
        return w.status, [(e.actor, e.action) for e in w.events]


def test_full_life_cycle_is_recorded_with_who_and_when(db, alert_config, warning_id):
    t = NOW + timedelta(minutes=30)
    c = alert_config
    acknowledge(db, c, warning_id, "王主任", "zhujian", at=t)
    assert state(db, warning_id)[0] == "open"                    # the street office has not signed
    acknowledge(db, c, warning_id, "李干事", "zhichu", at=t + timedelta(minutes=5))
    assert state(db, warning_id)[0] == "acknowledged"
    respond(db, c, warning_id, "王主任", "zhujian", "已督促供热公司逐户排查，今日恢复供暖",
            "https://www.zhifu.gov.cn/art/2025/1/15/art_1.html", at=t + timedelta(hours=3))
    assert state(db, warning_id)[0] == "acknowledged"            # the street office has not responded
    close(db, c, warning_id, "王主任", "zhujian", "已回应，群众认可", confirmed=True, at=t + timedelta(hours=4))
    status, events = state(db, warning_id)
    assert status == "closed"
    assert events == [("系统", "开启"), ("王主任", "签收"), ("李干事", "签收"), ("王主任", "回应"), ("王主任", "关闭")]
    with db.session() as s:
        w = s.get(Warning, warning_id)
        assert [e.at for e in w.events][1:] == [t, t + timedelta(minutes=5), t + timedelta(hours=3),
                                                t + timedelta(hours=4)]
        assert w.response_url.startswith("https://") and w.closed_at == t + timedelta(hours=4)


@pytest.mark.parametrize("action,message", [
    (lambda db, c, w: acknowledge(db, c, w, "某人", "jiaoti"), "区教育和体育局不是预警 1 的接收单位"),
    (lambda db, c, w: respond(db, c, w, "某人", "zhujian", "", ""), "请填写回应内容或公开回应的链接"),
    (lambda db, c, w: respond(db, c, w, "某人", "zhujian", "", "zhifu.gov.cn/x"), "应以 http:// 或 https:// 开头"),
    (lambda db, c, w: close(db, c, w, "某人", "zhujian", confirmed=True), "区住房和城乡建设局尚未回应，不能关闭"),
    (lambda db, c, w: close(db, c, w, "值班员", None, confirmed=True), "必须说明原因"),
    (lambda db, c, w: acknowledge(db, c, 999, "某人", None), "预警 999 不存在"),
])
def test_refused_actions_say_why(db, alert_config, warning_id, action, message):
    with pytest.raises(ActionError, match=message):
        action(db, alert_config, warning_id)
    assert state(db, warning_id) == ("open", [("系统", "开启")])


def test_acknowledging_twice_is_refused_and_closed_stays_closed(db, alert_config, warning_id):
    c = alert_config
    acknowledge(db, c, warning_id, "王主任", "zhujian")
    with pytest.raises(ActionError, match="无需重复签收"):
        acknowledge(db, c, warning_id, "张科长", "zhujian")
    close(db, c, warning_id, "值班员", None, "误报：同一事件已由市级通报", confirmed=True)
    for act in (lambda: acknowledge(db, c, warning_id, "李干事", "zhichu"),
                lambda: respond(db, c, warning_id, "李干事", "zhichu", "已处理")):
        with pytest.raises(ActionError, match="已关闭"):
            act()


def test_reassign_moves_the_duty_and_notifies_the_new_department(db, alert_config, warning_id):
    acknowledge(db, alert_config, warning_id, "李干事", "zhichu")
    reassign(db, alert_config, warning_id, "值班员", "zhichu", "baishi", "事发地实为白石街道")
    with db.session() as s:
        w = s.get(Warning, warning_id)
        active = {a.department_id: a.role for a in w.assignments if a.active}
        keys = list(s.scalars(select(Delivery.key).where(Delivery.department_id == "baishi")))
        assert w.status == "open" and active == {"zhujian": "主管", "baishi": "处置", "qzfb": "协调"}
        assert keys == [f"w{warning_id}:r2:baishi:0"]
        told = sorted(set(s.scalars(select(Delivery.department_id).where(Delivery.key.startswith(f"t{warning_id}:")))))
        assert told == ["qzfb", "zhichu"]                       # the old department and the duty office
        assert ("值班员", "改派", "只楚街道办事处 → 白石街道办事处：事发地实为白石街道") in [(e.actor, e.action, e.detail) for e in w.events]
    with pytest.raises(ActionError, match="当前没有分派给只楚街道办事处"):
        reassign(db, alert_config, warning_id, "值班员", "zhichu", "xingfu", "再改")
    with pytest.raises(ActionError, match="改派必须说明原因"):
        reassign(db, alert_config, warning_id, "值班员", "baishi", "xingfu", " ")


def test_signed_link_in_each_message_opens_that_warning_for_that_department(db, warning_id):
    with db.session() as s:
        d = s.scalar(select(Delivery).where(Delivery.department_id == "zhichu"))
    link = next(line for line in d.body.splitlines() if line.startswith("查看详情")).split("：", 1)[1]
    url = urlparse(link)
    assert url.path == f"/warnings/{warning_id}"
    assert verify_warning(parse_qs(url.query)["t"][0]) == (warning_id, "zhichu")


def test_cli_actions(db, warning_id, monkeypatch, capsys):
    import yuqing.alerts.warnings_cli

    monkeypatch.setattr(yuqing.alerts.warnings_cli.console, "width", 200)       # a wide terminal: no wrapping
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    monkeypatch.setenv("YUQING_NOW", (NOW + timedelta(hours=1)).isoformat())
    assert main(["warnings", "list"]) == 0
    out = capsys.readouterr().out
    assert "只楚街道“冬季供暖”负面舆情上升" in out and "待签收" in out
    assert main(["warnings", "ack", str(warning_id), "--actor", "王主任", "--department", "zhujian"]) == 0
    assert main(["warnings", "ack", str(warning_id), "--actor", "李干事", "--department", "zhichu"]) == 0
    assert f"预警 {warning_id}：已签收" in capsys.readouterr().out
    assert main(["warnings", "respond", str(warning_id), "--actor", "王主任", "--department", "zhujian",
                 "--text", "已恢复供暖"]) == 0
    assert main(["warnings", "reassign", str(warning_id), "--actor", "值班员", "--from", "zhichu",
                 "--to", "baishi", "--reason", "属地有误"]) == 0
    assert main(["warnings", "close", str(warning_id), "--actor", "王主任", "--department", "jiaoti"]) == 1
    assert "区教育和体育局不是预警" in capsys.readouterr().err
    assert main(["warnings", "close", str(warning_id), "--actor", "王主任", "--department", "zhujian",
                 "--reason", "已回应"]) == 1
    assert "关闭预警需要确认" in capsys.readouterr().err
    assert main(["warnings", "close", str(warning_id), "--actor", "王主任", "--department", "zhujian",
                 "--reason", "已回应", "--yes"]) == 0
    assert main(["warnings", "show", str(warning_id)]) == 0
    out = capsys.readouterr().out
    for text in ("状态：已关闭", "回应：已恢复供暖", "只楚街道办事处：本单位职责：处置 — 已改派",
                 "王主任  签收", "值班员  改派", "王主任  关闭", f"/warnings/{warning_id}?t="):
        assert text in out
    assert main(["warnings", "list"]) == 0 and "冬季供暖" not in capsys.readouterr().out
    assert main(["warnings", "list", "--status", "closed"]) == 0 and "冬季供暖" in capsys.readouterr().out

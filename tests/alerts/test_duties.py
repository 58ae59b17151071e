"""Each department's own duty: clocks by role, severity and quiet hours; who may do what; the
warning's state derived from the rows; escalation on each department's own clock; the JSON CLI;
and the migration that converts warnings stored before duties existed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import select, text

from yuqing.alerts.detect import detect
from yuqing.alerts.duties import clocks, duty_line
from yuqing.alerts.escalate import escalate_overdue
from yuqing.alerts.reassign import reassign
from yuqing.alerts.respond import ActionError, acknowledge, close, mark_read, respond, return_warning
from yuqing.app.cli import main
from yuqing.config.models import QuietHours
from yuqing.storage.db import MIGRATIONS
from yuqing.storage.models import Assignment, Delivery, Warning, WarningEvent
from yuqing.timeutil import SHANGHAI, fmt
from tests.alerts.helpers import NOW, baseline, spike, wave, with_channels


def major(db, config, at=NOW):
    """A 重大 heating warning in 只楚街道: 主管 区住建局, 处置 只楚街道, 协调 区政府办公室,
    抄送 区委宣传部 (the shipped routing for 重大)."""
    baseline(db, at=at)
    wave(db, 60, at=at)                  # across the board, news sites and social media
    detect(db, config, at)
    with db.session() as s:
        w = s.scalar(select(Warning))
        assert w.severity == "重大", w.severity
        return w.id


def rows(db, wid) -> dict[str, Assignment]:
    with db.session() as s:
        w = s.get(Warning, wid)
        out = {a.department_id: a for a in w.assignments}
        s.expunge_all()
        return out


def status(db, wid) -> str:
    with db.session() as s:
        return s.get(Warning, wid).status


def local(hour, minute=0, day=15):
    return datetime(2025, 1, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize("role,severity,start,ack,respond_by", [
    # 重大: 1 h to sign, 5 h to respond (国办发〔2016〕61号), round the clock
    ("处置", "重大", local(18, 45), local(19, 45), local(23, 45)),
    ("主管", "特别重大", local(23, 0), local(23, 30), local(4, 0, day=16)),
    # 一般 at 18:45: 8 h would be 02:45, in quiet hours (22:00–07:30): next working start
    ("主管", "一般", local(18, 45), local(7, 30, day=16), local(18, 45, day=17)),
    # received in quiet hours: the clock starts at 07:30
    ("处置", "一般", local(23, 0), local(15, 30, day=16), local(7, 30, day=18)),
    # 较大 notices are not held at night (hold_below: 较大), so their clocks run at night too
    ("处置", "较大", local(23, 0), local(3, 0, day=16), local(23, 0, day=17)),
    ("协调", "重大", local(10, 0), local(11, 0), None),          # coordinates, no own response
    ("抄送", "重大", local(10, 0), None, None),                  # 已阅 only
    ("上报", "一般", local(10, 0), None, None),
])
def test_clocks_by_role_severity_and_quiet_hours(default_config, role, severity, start, ack, respond_by):
    assert clocks(default_config, "zhichu", role, severity, start) == (ack, respond_by)


def test_each_department_has_its_own_row_and_plain_words(db, default_config):
    wid = major(db, default_config)
    duty = rows(db, wid)
    assert {d: a.role for d, a in duty.items()} == {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调",
                                                    "xuanchuan": "抄送"}
    assert duty["zhichu"].reason == "只楚街道的属地处置部门"
    assert duty["xuanchuan"].acknowledge_by is None and duty["xuanchuan"].respond_by is None
    assert duty["qzfb"].respond_by is None and duty["qzfb"].acknowledge_by == NOW + timedelta(hours=1)
    assert duty_line(duty["zhichu"], NOW) == "本单位职责：处置 — 请于 12:00 前签收，16:00 前回应"
    assert duty_line(duty["xuanchuan"], NOW) == "本单位职责：抄送 — 请知悉，无需签收和回应，阅后请标记已阅"
    with db.session() as s:
        notices = {d.department_id: d.body for d in s.scalars(select(Delivery).where(Delivery.key.like("w%")))}
    assert notices["zhichu"].startswith("本单位职责：处置 — 请于 12:00 前签收，16:00 前回应\n")
    assert notices["xuanchuan"].startswith("本单位职责：抄送 — 请知悉")
    assert "请按时限签收并回应" not in notices["xuanchuan"] and "本单位须按本单位时限签收并回应" not in notices["xuanchuan"]
    for body in notices.values():
        assert "routing" not in body and "zhichu" not in body.split("http")[0]


def test_street_office_cannot_close_and_its_response_does_not_count_for_the_owner(db, default_config):
    c = default_config
    wid = major(db, c)
    acknowledge(db, c, wid, "李干事", "zhichu", at=NOW + timedelta(minutes=5))
    respond(db, c, wid, "李干事", "zhichu", "已入户核查，正在抢修", at=NOW + timedelta(minutes=10))
    with pytest.raises(ActionError, match="只楚街道办事处在预警 1 中的职责是处置，无权关闭"):
        close(db, c, wid, "李干事", "zhichu", "已处理", confirmed=True)
    duty = rows(db, wid)
    assert duty["zhichu"].state == "responded" and duty["zhujian"].responded_at is None
    assert duty["zhujian"].state == "open" and status(db, wid) == "open"
    with pytest.raises(ActionError, match="区住房和城乡建设局尚未回应，不能关闭"):
        close(db, c, wid, "王主任", "zhujian", confirmed=True)
    with pytest.raises(ActionError, match="区住房和城乡建设局尚未回应，值班室关闭时必须说明原因"):
        close(db, c, wid, "值班员", None, confirmed=True)
    respond(db, c, wid, "王主任", "zhujian", "区住建局发布说明", at=NOW + timedelta(hours=2))
    assert status(db, wid) == "responded"
    with pytest.raises(ActionError, match="关闭预警需要确认"):
        close(db, c, wid, "王主任", "zhujian")
    close(db, c, wid, "王主任", "zhujian", confirmed=True, at=NOW + timedelta(hours=3))
    assert status(db, wid) == "closed"


def test_copy_department_only_marks_read(db, default_config):
    c = default_config
    wid = major(db, c)
    for act, message in (
            (lambda: acknowledge(db, c, wid, "宣传干事", "xuanchuan"), "为抄送单位，无需签收，请标记“已阅”"),
            (lambda: respond(db, c, wid, "宣传干事", "xuanchuan", "已知悉"), "无回应职责，只需标记“已阅”"),
            (lambda: close(db, c, wid, "宣传干事", "xuanchuan", "x", confirmed=True), "职责是抄送，无权关闭"),
            (lambda: mark_read(db, c, wid, "李干事", "zhichu"), "请签收，而不是标记已阅")):
        with pytest.raises(ActionError, match=message):
            act()
    mark_read(db, c, wid, "宣传干事", "xuanchuan", at=NOW + timedelta(minutes=3))
    with pytest.raises(ActionError, match="已于 2025-01-15 11:03 由宣传干事标记已阅"):
        mark_read(db, c, wid, "宣传干事", "xuanchuan")
    assert rows(db, wid)["xuanchuan"].state == "read" and status(db, wid) == "open"
    # the copy department's reading stops nobody's escalation: both signing departments climb
    assert escalate_overdue(db, c, NOW + timedelta(hours=1, minutes=1)) == 2


def test_bad_input_changes_nothing(db, default_config):
    c = default_config
    wid = major(db, c)
    acknowledge(db, c, wid, "李干事", "zhichu")
    with db.session() as s:
        before = (s.scalar(select(WarningEvent.id).order_by(WarningEvent.id.desc()).limit(1)),
                  s.scalar(select(Delivery.id).order_by(Delivery.id.desc()).limit(1)))
    for act, message in (
            (lambda: acknowledge(db, c, wid, "某人", "jiaoti"), "区教育和体育局不是预警 1 的接收单位，无权操作"),
            (lambda: respond(db, c, wid, "某人", "nosuch", "x"), "部门“nosuch”不存在"),
            (lambda: acknowledge(db, c, wid, "张三", "zhichu"), "只楚街道办事处已于 .* 由李干事签收，无需重复签收"),
            (lambda: reassign(db, c, wid, "值班员", "zhichu", "火星街道", "属地有误"), "部门“火星街道”不存在"),
            (lambda: return_warning(db, c, wid, "李干事", "zhichu", " "), "退回必须说明原因"),
            (lambda: return_warning(db, c, wid, "值班员", None, "不是我们的"), "值班室不能退回")):
        with pytest.raises(ActionError, match=message):
            act()
    close(db, c, wid, "值班员", None, "误报：系供热公司演练通知", confirmed=True)
    with pytest.raises(ActionError, match="预警 1 已关闭.*不能再记录回应"):
        respond(db, c, wid, "王主任", "zhujian", "已回应")
    with db.session() as s:
        assert s.get(Warning, wid).events[-1].action == "关闭"
        assert s.get(Warning, wid).events[-1].detail == (
            "区政府办公室：误报：系供热公司演练通知（区住房和城乡建设局未回应，值班室说明原因后关闭）")
        assert s.scalar(select(WarningEvent.id).order_by(WarningEvent.id.desc()).limit(1)) == before[0] + 1
        assert s.scalar(select(Delivery.id).order_by(Delivery.id.desc()).limit(1)) == before[1]
    assert rows(db, wid)["zhujian"].responded_at is None


def test_return_goes_to_the_duty_office_which_reassigns(db, default_config):
    c = default_config
    baseline(db)
    spike(db, 5)
    detect(db, c, NOW)                                   # 一般: 主管, 处置, 协调
    assert {d: a.role for d, a in rows(db, 1).items()} == {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调"}
    return_warning(db, c, 1, "李干事", "zhichu", "事发小区属白石街道", at=NOW + timedelta(minutes=30))
    duty = rows(db, 1)
    assert duty["zhichu"].state == "returned" and duty["qzfb"].role == "协调"
    assert status(db, 1) == "open"
    with db.session() as s:
        told = s.scalars(select(Delivery).where(Delivery.key.startswith("t1:"))).all()
        assert {d.department_id for d in told} == {"qzfb"}
        assert "只楚街道办事处退回了该预警（处置），原因：事发小区属白石街道" in told[0].body
    with pytest.raises(ActionError, match="已退回预警 1"):
        respond(db, c, 1, "李干事", "zhichu", "x")
    reassign(db, c, 1, "值班员", "只楚街道办事处", "白石街道办事处", "属地有误", at=NOW + timedelta(hours=1))
    duty = rows(db, 1)
    assert duty["baishi"].role == "处置" and duty["baishi"].active and duty["baishi"].state == "open"
    assert duty["baishi"].acknowledge_by == NOW + timedelta(hours=9)   # its own clock, from now
    assert not duty["zhichu"].active and duty["zhichu"].state == "reassigned"
    assert duty["qzfb"].active and duty["qzfb"].role == "协调"
    with db.session() as s:
        told = {d.department_id for d in s.scalars(select(Delivery).where(Delivery.key.startswith("t1:re")))}
        assert told == {"zhichu", "qzfb"}
        assert s.scalar(select(Delivery.id).where(Delivery.key.like("w1:%:baishi:%"))) is not None


def test_returned_with_no_coordinator_makes_the_duty_office_hold_it(db, default_config):
    c = default_config
    baseline(db)
    spike(db, 5)
    detect(db, c, NOW)
    with db.session() as s:                              # a warning only the street office holds
        w = s.get(Warning, 1)
        for a in w.assignments:
            if a.department_id != "zhichu":
                s.delete(a)
    return_warning(db, c, 1, "李干事", "zhichu", "不属本街道", at=NOW + timedelta(minutes=30))
    duty = rows(db, 1)
    assert duty["qzfb"].role == "值班" and duty["qzfb"].acknowledge_by == NOW + timedelta(hours=8, minutes=30)
    reassign(db, c, 1, "值班员", "zhichu", "baishi", "属白石街道", at=NOW + timedelta(hours=1))
    duty = rows(db, 1)
    assert not duty["qzfb"].active and duty["baishi"].role == "处置"


def test_escalation_follows_each_departments_own_clock(db, default_config):
    # the street office keeps a night desk (no quiet hours); the bureau keeps office hours
    c = with_channels(default_config, {}, {"zhichu": {"escalation": ["qzfb"], "quiet_hours": QuietHours(start="00:00", end="00:00")},
                                           "zhujian": {"escalation": ["qzfb"], "quiet_hours": QuietHours(
                                               start="18:00", end="08:30")}})
    t0 = local(14, 0)
    baseline(db, at=t0)
    spike(db, 5, at=t0)
    detect(db, c, t0)                                    # 一般, 14:00: 8 h to sign
    duty = rows(db, 1)
    assert duty["zhichu"].acknowledge_by == local(22, 0)
    assert duty["zhujian"].acknowledge_by == local(8, 30, day=16)   # 22:00 is quiet for the bureau
    assert escalate_overdue(db, c, local(22, 1)) == 1
    with db.session() as s:
        ups = [e.detail for e in s.get(Warning, 1).events if e.action == "上报"]
    assert ups == ["只楚街道办事处未在本单位签收时限（2025-01-15 22:00）前签收，上报区政府办公室"]
    acknowledge(db, c, 1, "王主任", "zhujian", at=local(8, 0, day=16))
    assert escalate_overdue(db, c, local(9, 0, day=16)) == 0    # the bureau signed in time
    # responses: the bureau's answer does not stop the street office's clock
    respond(db, c, 1, "王主任", "zhujian", "已发布说明", at=local(10, 0, day=16))
    assert escalate_overdue(db, c, local(13, 59, day=17)) == 0
    assert escalate_overdue(db, c, local(14, 1, day=17)) == 1   # zhichu: 14:00 + 48 h
    assert escalate_overdue(db, c, local(20, 0, day=17)) == 0   # reported once
    duty = rows(db, 1)
    assert duty["zhichu"].respond_escalated_at and not duty["zhujian"].respond_escalated_at
    with db.session() as s:
        late = [e.detail for e in s.get(Warning, 1).events if e.action == "回应超时"]
    assert late == ["只楚街道办事处（处置）未在本单位回应时限（2025-01-17 14:00）前回应，报区政府办公室督办"]


def test_warnings_json(db, default_config, monkeypatch, capsys):
    c = default_config
    wid = major(db, c)
    respond(db, c, wid, "李干事", "zhichu", "已入户核查", at=NOW + timedelta(minutes=20))
    monkeypatch.setenv("YUQING_DATABASE_URL", db.url)
    monkeypatch.setenv("YUQING_NOW", (NOW + timedelta(minutes=30)).isoformat())
    assert main(["warnings", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"id": wid, "title": "只楚街道“冬季供暖”负面舆情上升", "kind": "spike", "severity": "重大",
                       "topic": "冬季供暖", "place": "只楚街道", "status": "open",
                       "opened_at": "2025-01-15T11:00:00+08:00"}]
    assert main(["warnings", "show", str(wid), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    depts = {d["id"]: d for d in shown.pop("departments")}
    assert shown == listed[0]
    assert list(depts["zhujian"]) == ["id", "name", "role", "ack_deadline", "acked_at", "respond_deadline",
                                      "responded_at", "state"]
    assert depts["zhujian"] == {"id": "zhujian", "name": "区住房和城乡建设局", "role": "主管",
                                "ack_deadline": "2025-01-15T12:00:00+08:00", "acked_at": None,
                                "respond_deadline": "2025-01-15T16:00:00+08:00", "responded_at": None,
                                "state": "open"}
    assert depts["zhichu"]["responded_at"] == "2025-01-15T11:20:00+08:00"
    assert depts["zhichu"]["state"] == "responded"
    assert depts["xuanchuan"]["ack_deadline"] is None and depts["xuanchuan"]["respond_deadline"] is None
    # the act commands refuse, in Chinese, with a non-zero exit
    for argv, message in (
            (["close", str(wid), "--actor", "李干事", "--department", "只楚街道办事处", "--yes"],
             "只楚街道办事处在预警 1 中的职责是处置，无权关闭"),
            (["ack", str(wid), "--actor", "某人", "--department", "jiaoti"], "区教育和体育局不是预警 1 的接收单位"),
            (["read", str(wid), "--actor", "李干事", "--department", "zhichu"], "请签收，而不是标记已阅"),
            (["reassign", str(wid), "--actor", "值班员", "--from", "zhichu", "--to", "nosuch", "--reason", "x"],
             "部门“nosuch”不存在")):
        assert main(["warnings", *argv]) == 1, argv
        assert message in capsys.readouterr().err
    assert main(["warnings", "show", "999", "--json"]) == 1
    assert "预警 999 不存在" in capsys.readouterr().err


def test_migration_converts_stored_warnings(db_url):
    """A store written before duties: the one shared response is credited to its author only."""
    from yuqing.storage.db import Database

    db = Database(db_url)
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    opened, ack_by, respond_by = NOW, NOW + timedelta(hours=1), NOW + timedelta(hours=5)
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO warnings (id, key, kind, topic_id, place_id, severity, status, title, summary, count, "
            "baseline, opened_at, updated_at, acknowledge_by, respond_by, response_text, response_url, revision) "
            "VALUES (1, 'k', 'spike', 'heating', 'zhichu', '重大', 'responded', 't', '', 1, 0, :o, :o, :a, :r, "
            "'已入户核查', '', 1)"), {"o": opened, "a": ack_by, "r": respond_by})
        for i, (dept, role, acked, active) in enumerate((
                ("zhujian", "主管", None, True), ("zhichu", "处置", NOW, True),
                ("xuanchuan", "抄送", NOW, True), ("baishi", "处置", None, False)), start=1):
            conn.execute(text("INSERT INTO assignments (id, warning_id, department_id, role, reason, active, "
                              "acknowledged_at, acknowledged_by, escalation_level) "
                              "VALUES (:i, 1, :d, :r, '', :act, :ack, '', 0)"),
                         {"i": i, "d": dept, "r": role, "act": active, "ack": acked})
        conn.execute(text("INSERT INTO warning_events (warning_id, at, actor, action, detail) "
                          "VALUES (1, :at, '李干事', '回应', 'zhichu：已入户核查')"),
                     {"at": NOW + timedelta(minutes=10)})
    db.migrate()
    duty = rows(db, 1)
    assert duty["zhichu"].state == "responded" and duty["zhichu"].responded_by == "李干事"
    assert duty["zhichu"].responded_at == NOW + timedelta(minutes=10)
    assert duty["zhujian"].state == "open" and duty["zhujian"].responded_at is None
    assert (duty["zhujian"].acknowledge_by, duty["zhujian"].respond_by) == (ack_by, respond_by)
    assert duty["xuanchuan"].state == "read" and duty["xuanchuan"].respond_by is None
    assert duty["baishi"].state == "reassigned"
    assert all(a.link_nonce for a in duty.values())
    db.dispose()


def test_fmt_in_messages_is_local_time():
    assert fmt(NOW) == "2025-01-15 11:00"

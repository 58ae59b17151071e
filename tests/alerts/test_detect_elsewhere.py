"""Other places' incidents (外地, 外省, 青岛, 莱山区, national news) open no 芝罘 critical
warning; a local incident that mentions another place in passing still warns at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.elsewhere import elsewhere
from yuqing.storage.models import Warning
from tests.alerts.helpers import NOW
from tests.factories import add_mention

ELSEWHERE = [
    ("外地一小区燃气爆炸致多人受伤 专家提醒注意用气安全", "专家建议，冬季用气要经常开窗通风，发现异味及时报修。"),
    ("外省一养老院火灾事故调查报告公布", "调查报告认定，这是一起生产安全责任事故，共造成2人死亡。"),
    ("青岛市城阳区一工地发生坍塌 两名工人受伤送医", "事发时工人正在浇筑楼板，伤者已送医救治。"),
    ("烟台市莱山区一小区燃气爆燃 一人烧伤", "事发小区位于莱山区，消防救援人员及时赶到。"),
    ("某市一化工厂突发爆炸 已致3人死亡", "事故原因正在调查中。"),
    ("应急管理部通报：全国今年已发生燃气爆炸事故十余起", "多起事故造成人员伤亡，各地要吸取教训。"),
    ("外地一小区燃气爆炸 芝罘燃气提醒居民安全用气", "芝罘燃气提醒，发现燃气泄漏请立即关阀开窗。"),
]

OURS = [
    # (title, body, street the analysis found or None)
    ("胜利路一饭店燃气爆燃 两名青岛游客受伤", "两人在店内吃饭时被玻璃划伤，已送医。", None),
    ("芝罘区一工地坍塌 施工方为青岛一家建筑公司", "一名工人被压伤，正在毓璜顶医院救治。", None),
    ("幸福街道一居民楼起火 住户刚从济南回来", "邻居说家里没人，消防赶到时火已经很大，一人被烧伤。", "xingfu"),
    ("一居民楼起火 外地务工人员受伤", "昨晚楼里冒出浓烟，一名在这里租房的外地务工人员受伤送医。", None),
    ("烟台一小区燃气爆炸两人受伤", "爆炸声很大，附近几栋楼的玻璃都震碎了。", None),
    ("大海阳路附近小区一居民楼起火 两人受伤", "浓烟从三楼窗户冒出来，消防车开进小区。", None),
    ("两名青岛游客所住小区一楼起火", "两名游客在亲戚家过年，楼下杂物起火，两人吸入浓烟受伤。", None),
]


@pytest.mark.parametrize("title,body", ELSEWHERE)
def test_an_incident_located_elsewhere_is_not_ours(title, body, alert_config):
    words = tuple(alert_config.settings.detection.critical_elsewhere)
    assert elsewhere(title, body, None, words)


@pytest.mark.parametrize("title,body,place", OURS)
def test_a_local_incident_naming_another_place_in_passing_is_ours(title, body, place, alert_config):
    words = tuple(alert_config.settings.detection.critical_elsewhere)
    assert not elsewhere(title, body, place, words)


def _warnings(db):
    with db.session() as s:
        return [(w.kind, w.topic_id, w.place_id, w.severity) for w in s.scalars(select(Warning).order_by(Warning.id))]


def test_other_places_incidents_open_no_critical_warning(db, alert_config):
    """The news feed carries other places' fires and explosions among the district's news."""
    for i, (title, body) in enumerate(ELSEWHERE):
        add_mention(db, when=NOW - timedelta(minutes=30 + i), topic="safety", place=None, source="shm-yantai",
                    kind="article", title=title, content=f"{title}。{body}")
    summary = detect(db, alert_config, NOW)
    assert summary.opened == 0 and _warnings(db) == []


def test_a_local_incident_mentioning_another_city_still_warns(db, alert_config):
    add_mention(db, when=NOW - timedelta(minutes=20), topic="utilities", place="xingfu", source="shm-yantai",
                kind="article", title="幸福街道一饭店燃气爆燃 两名青岛游客受伤",
                content="幸福街道一饭店燃气爆燃 两名青岛游客受伤。两人在店内吃饭时被玻璃划伤，已送医。")
    add_mention(db, when=NOW - timedelta(minutes=10), topic="safety", place=None, source="weibo-x",
                author="夜跑的猫", title="外地一小区燃气爆炸致多人受伤，太吓人了",
                content="外地一小区燃气爆炸致多人受伤，太吓人了，大家用气注意安全。")
    detect(db, alert_config, NOW)
    assert _warnings(db) == [("critical", "utilities", "xingfu", "重大")]


def test_an_incident_in_a_street_is_not_swallowed_by_a_district_wide_slow_burn(db, alert_config):
    """The event grouping put a fire in 向阳街道 with a district-wide slow burn on fire safety:
    the fire still opens its own critical warning in its street, so the street acts on it."""
    from yuqing.alerts.outbox import open_or_update
    from yuqing.alerts.rules import Finding
    from yuqing.storage.events import Event, EventMention

    burn = [add_mention(db, when=NOW - timedelta(days=d, hours=2), topic="safety", place=None, author=f"居民{d}",
                        title=f"楼道里堆满杂物，消防通道被堵（{d}）") for d in range(3)]
    open_or_update(db, alert_config, Finding("trend:safety:-", "trend", "safety", None, "一般",
                                             "全区“安全生产与突发事件”持续升温", "近3天每天都有", tuple(burn)),
                   NOW - timedelta(hours=1))
    fire = add_mention(db, when=NOW - timedelta(minutes=30), topic="safety", place="xiangyang", source="shm-yantai",
                       kind="article", title="向阳街道一居民楼楼道杂物起火 一人受伤送医",
                       content="向阳街道一居民楼楼道杂物起火，一名住户被烟呛伤送医。")
    with db.session() as s:
        event = Event(title="楼道杂物", topic_id="safety", mentions=4)
        s.add(event)
        s.flush()
        s.add_all([EventMention(mention_id=m, event_id=event.id) for m in (*burn, fire)])
    detect(db, alert_config, NOW)
    with db.session() as s:
        critical = s.scalars(select(Warning).where(Warning.kind == "critical")).all()
        assert [(w.topic_id, w.place_id, w.severity) for w in critical] == [("safety", "xiangyang", "重大")]
        roles = {a.department_id: a.role for a in critical[0].assignments}
        assert roles["yingji"] == "主管" and roles["xiangyang"] == "处置"

"""Detection beyond the topic rules: the catch-all series (未归类), incidents on the topic of
their matter, the government's own voice, and the grade's stated reasons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.storage.models import Delivery, MentionTopic, Warning, WarningEvent
from tests.alerts.helpers import NOW, baseline, spike, wave
from tests.factories import add_mention


def opened(db):
    with db.session() as s:
        return [(w.kind, w.topic_id, w.place_id, w.severity,
                 {a.department_id: a.role for a in w.assignments})
                for w in s.scalars(select(Warning).order_by(Warning.id))]


def test_a_matter_no_topic_names_warns_as_unclassified_to_street_and_duty_office(db, alert_config):
    baseline(db, topic=None, place="baishi")
    wave(db, 8, topic=None, place="baishi", every=30)   # e.g. care-home complaints, no topic covers it
    detect(db, alert_config, NOW)
    [(kind, topic, place, severity, roles)] = opened(db)
    assert (kind, topic, place, severity) == ("spike", None, "baishi", "较大")
    assert roles == {"qzfb": "主管", "baishi": "处置"}
    with db.session() as s:
        w = s.scalar(select(Warning))
        assert w.title == "白石街道未归类事项负面舆情上升"
        assert "负面8条" in w.summary and "定为较大" in w.summary and len(w.evidence) == 8


def test_a_topic_spike_absorbs_the_catch_all_and_is_graded_on_all_items(db, alert_config):
    """The heating spike of the issue: only some of the items got the heating topic."""
    baseline(db, topic=None)
    spike(db, 3, topic="heating")
    wave(db, 9, topic=None, at=NOW - timedelta(minutes=5), every=30)   # board messages and news
    detect(db, alert_config, NOW)
    [(kind, topic, place, severity, roles)] = opened(db)         # one matter, one warning
    assert (kind, topic, place, severity) == ("spike", "heating", "zhichu", "较大")
    assert roles["zhujian"] == "主管" and roles["zhichu"] == "处置"
    with db.session() as s:
        w = s.scalar(select(Warning))
        assert len(w.evidence) == 12 and "负面12条" in w.summary


def test_unclassified_noise_beside_a_topic_spike_opens_nothing_more(db, alert_config):
    baseline(db, per_day=0.5, topic=None)
    spike(db, 5, topic="heating")
    detect(db, alert_config, NOW)
    assert [o[:4] for o in opened(db)] == [("spike", "heating", "zhichu", "一般")]


def test_road_collapse_warns_at_once_on_the_roads_matter_in_its_street(db, alert_config):
    """A road collapse reported at night, collected late: the first cycle warns, at 重大, on
    the topic of the matter (not on 安全 wording), in the street the report names."""
    mid = add_mention(db, when=NOW - timedelta(hours=30), topic=None, place="xingfu", source="shm-yantai",
                      kind="article", title="幸福街道福泰路路面突然塌陷 一辆轿车陷入司机受伤")
    with db.session() as s:
        s.add_all([MentionTopic(mention_id=mid, topic_id="safety", matched=["塌陷"]),
                   MentionTopic(mention_id=mid, topic_id="property", matched=["路面", "维修"])])
        s.get(__import__("yuqing.storage.models", fromlist=["Mention"]).Mention, mid).analysed_at = NOW - timedelta(minutes=3)
    detect(db, alert_config, NOW)
    [(kind, topic, place, severity, roles)] = opened(db)
    assert (kind, topic, place, severity) == ("critical", "property", "xingfu", "重大")
    assert roles["xingfu"] == "处置"
    # two posts about the same collapse update that warning instead of opening more
    for i in range(2):
        add_mention(db, when=NOW + timedelta(minutes=10 + i), topic=None, place="xingfu", source="weibo-x",
                    author=f"网友{i}", title=f"福泰路塌陷了，太吓人（{i}）")
    assert detect(db, alert_config, NOW + timedelta(minutes=15)).opened == 0
    with db.session() as s:
        assert len(s.scalar(select(Warning)).evidence) == 3


def test_drills_and_prevention_notices_are_not_incidents(db, alert_config):
    add_mention(db, when=NOW - timedelta(hours=1), topic="safety", place="tongshen", source="shm-yantai",
                kind="article", title="通伸街道开展燃气爆炸事故应急演练")
    add_mention(db, when=NOW - timedelta(hours=1), topic="safety", place="tongshen", source="zhifu-gov-news",
                kind="article", title="通伸街道一饭店发生燃气爆炸 区应急管理局发布情况通报")
    assert detect(db, alert_config, NOW).opened == 0


def test_an_official_bulletin_is_recorded_as_the_response_on_the_incident(db, alert_config):
    add_mention(db, when=NOW - timedelta(hours=10), topic="safety", place="tongshen", source="shm-yantai",
                kind="article", title="通伸街道一饭店燃气泄漏爆炸 一人受伤")
    detect(db, alert_config, NOW - timedelta(hours=9))
    add_mention(db, when=NOW - timedelta(hours=1), topic="safety", place="tongshen", source="zhifu-gov-news",
                kind="article", title="关于通伸街道一饭店燃气爆炸事故的情况通报")
    first = detect(db, alert_config, NOW)
    again = detect(db, alert_config, NOW + timedelta(minutes=5))
    assert (first.opened, first.responses, again.responses) == (0, 1, 0)
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        events = s.scalars(select(WarningEvent).where(WarningEvent.warning_id == w.id)).all()
        assert [e.action for e in events] == ["开启", "官方通报"]
        assert "情况通报" in events[1].detail and "http://sample.test/zhifu-gov-news/" in events[1].detail



def test_a_mass_incident_said_without_the_textbook_words_warns_at_once(db, alert_config):
    """A crowd at a gate with banners is a mass incident even when nobody writes 群体性事件;
    a notice about preventing one is not."""
    add_mention(db, when=NOW - timedelta(minutes=20), topic=None, place="baishi", source="weibo-x",
                author="路过的小王", title="白石街道办门口来了几十个业主，拉横幅要说法，交房拖了两年")
    add_mention(db, when=NOW - timedelta(minutes=40), topic=None, place="tongshen", source="shm-yantai",
                kind="article", title="通伸街道召开会议 部署防范群众聚集上访工作")
    detect(db, alert_config, NOW)
    assert [o[:4] for o in opened(db)] == [("critical", None, "baishi", "重大")]


def test_one_wording_about_two_streets_is_two_incidents(db, alert_config):
    """Reports that read alike (grouped as one story) about explosions in two streets."""
    from yuqing.storage.models import Mention

    first = add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="xingfu", source="shm-yantai",
                        kind="article", title="幸福街道一居民楼燃气泄漏发生爆燃 两人受伤送医")
    second = add_mention(db, when=NOW - timedelta(hours=1), topic="safety", place="baishi", source="shm-yantai",
                         kind="article", title="白石街道一居民楼燃气泄漏发生爆燃 两人受伤送医", story=False)
    with db.session() as s:
        s.get(Mention, second).story_id = s.get(Mention, first).story_id
    detect(db, alert_config, NOW - timedelta(minutes=90))
    detect(db, alert_config, NOW)
    assert sorted(o[:4] for o in opened(db)) == [("critical", "safety", "baishi", "重大"),
                                                ("critical", "safety", "xingfu", "重大")]
    with db.session() as s:
        assert sorted(len(w.evidence) for w in s.scalars(select(Warning))) == [1, 1]


def _district_spike(db, streets, placeless=6):
    baseline(db, topic="medinsurance", place=None)
    spike(db, placeless, topic="medinsurance", place=None)         # most posts name no street
    for i, street in enumerate(streets):
        spike(db, 1, topic="medinsurance", place=street, at=NOW - timedelta(minutes=7 + i))


def test_a_district_wide_spike_mostly_in_one_street_goes_to_that_street(db, alert_config):
    _district_spike(db, ["huangwu", "huangwu"])
    detect(db, alert_config, NOW)
    [(kind, topic, place, _, roles)] = opened(db)
    assert (kind, topic, place) == ("spike", "medinsurance", None)     # still district-wide
    assert roles["yibao"] == "主管" and roles["huangwu"] == "处置"
    with db.session() as s:
        [duty] = [a for a in s.scalar(select(Warning)).assignments if a.department_id == "huangwu"]
        assert "集中在黄务街道（2/2条）" in duty.reason


def test_a_district_wide_spike_spread_over_streets_has_no_street_handler(db, alert_config):
    _district_spike(db, ["huangwu", "zhichu"])
    detect(db, alert_config, NOW)
    [(kind, topic, place, _, roles)] = opened(db)
    assert (kind, topic, place) == ("spike", "medinsurance", None)
    assert "处置" not in roles.values() and roles["yibao"] == "主管"


def test_a_district_wide_spike_gets_its_street_as_its_posts_name_it(db, alert_config):
    """A slow burn opens on posts naming no street; later posts name 黄务: the street is
    added as 处置 and told, the warning stays one."""
    _district_spike(db, ["huangwu"], placeless=16)
    detect(db, alert_config, NOW)
    [(_, _, _, severity, roles)] = opened(db)
    assert "处置" not in roles.values() and severity == "较大"
    for i in range(2):
        add_mention(db, when=NOW + timedelta(minutes=10 + i), topic="medinsurance", place="huangwu",
                    author=f"参保居民{i}", title=f"黄务街道医保报销卡在最后一步（{i}）")
    detect(db, alert_config, NOW + timedelta(minutes=15))
    [(kind, topic, place, severity, roles)] = opened(db)
    assert (kind, topic, place, severity) == ("spike", "medinsurance", None, "较大")    # no upgrade
    assert roles["huangwu"] == "处置" and roles["yibao"] == "主管"
    with db.session() as s:
        w = s.scalar(select(Warning))
        assert any(e.action == "增加接收单位" and "黄务" in e.detail for e in w.events)
        assert s.scalar(select(Delivery.id).where(Delivery.warning_id == w.id, Delivery.department_id == "huangwu"))

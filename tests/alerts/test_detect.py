"""Detection: spikes against each series' own baseline, single-item rules, idempotent warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.config.settings import SeverityLevel
from yuqing.storage.models import Assignment, Delivery, Mention, Warning
from tests.alerts.helpers import NOW, baseline, spike, wave, with_detection
from tests.factories import add_mention


def warnings(db, kind="spike"):
    with db.session() as s:
        return [(w.topic_id, w.place_id, w.severity)
                for w in s.scalars(select(Warning).where(Warning.kind == kind).order_by(Warning.id))]


@pytest.mark.parametrize("count,expected", [
    (0, None),
    (2, None),          # below the minimum volume
    (4, "一般"),
    (8, "一般"),        # eight residents on one board: a local complaint, not yet spread
    (16, "较大"),       # residents alone, at volume
    (20, "较大"),       # one board, one channel: 重大 needs reach across channels too
])
def test_spike_severity_table(db, alert_config, count, expected):
    baseline(db)
    spike(db, count, every=30)
    detect(db, alert_config, NOW)
    assert warnings(db) == ([] if expected is None else [("heating", "zhichu", expected)])


def test_a_complaint_carried_by_three_outlets_is_graded_higher_than_on_one_board(db, alert_config):
    """较大 is a matter that spread: eight items on the board, a news site and Weibo reach
    it where eight board messages do not; the warning says which row of the table it met."""
    baseline(db)
    wave(db, 8, every=30)
    detect(db, alert_config, NOW)
    assert warnings(db) == [("heating", "zhichu", "较大")]
    with db.session() as s:
        summary = s.scalar(select(Warning.summary))
    assert "定为较大" in summary and "来源" in summary and "≥3" in summary, summary


@pytest.mark.parametrize("levels,min_stories,count,expected", [
    # thresholds are config: a stricter table, a looser one, a volume floor
    ([("一般", 5, 0, 0)], 3, 4, None),
    ([("一般", 5, 0, 0)], 3, 5, "一般"),
    ([("一般", 2, 0, 0), ("特别重大", 4, 0, 0)], 2, 4, "特别重大"),
    ([("一般", 2, 0, 0)], 5, 4, None),
    ([("一般", 3, 50, 0)], 3, 6, None),          # ratio against the baseline too small
    ([("一般", 3, 0, 20)], 3, 6, None),          # robust z too small
])
def test_thresholds_are_config(db, alert_config, levels, min_stories, count, expected):
    table = [SeverityLevel(level=lv, min_count=c, min_ratio=r, min_z=z) for lv, c, r, z in levels]
    config = with_detection(alert_config, levels=table, min_stories=min_stories)
    baseline(db)
    spike(db, count, every=30)
    detect(db, config, NOW)
    assert warnings(db) == ([] if expected is None else [("heating", "zhichu", expected)])


def add_copies(db, n: int, *, when, source="board", topic="heating", place="zhichu",
               authors=None) -> list[int]:
    """One story carried n times (the analysis stage groups copies into one story)."""
    ids = [add_mention(db, when=when + timedelta(minutes=i), topic=topic, place=place,
                       source=source, story=(i == 0), author=authors[i] if authors else "")
           for i in range(n)]
    with db.session() as s:
        story = s.get(Mention, ids[0]).story_id
        for mid in ids[1:]:
            s.get(Mention, mid).story_id = story
    return ids


@pytest.mark.parametrize("stories,copies,source,authors,expected", [
    (1, 12, "board", None, None),            # one unsigned post repeated: one voice
    (1, 12, "shm-yantai", None, "较大"),     # twelve articles carrying one story: 2 + 11 × 0.5 × 2
    (1, 12, "weibo-x", [f"用户{i}" for i in range(12)], "较大"),   # twelve accounts: 1 + 11 × 0.5
    (1, 12, "weibo-x", ["同一账号"] * 12, None),                   # one account, twelve times
    (3, 1, "board", None, "一般"),           # 3
    (3, 1, "shm-yantai", None, "较大"),      # media weigh 2 (6)
    (5, 1, "zhifu-gov-news", None, None),    # the government's own sources are not complaints
])
def test_volume_weighs_reach_not_rows(db, alert_config, stories, copies, source, authors, expected):
    # levels by weighted count alone, to see the weighting
    table = [SeverityLevel(level=lv, min_count=c) for lv, c in (("一般", 3), ("较大", 6), ("重大", 15))]
    config = with_detection(alert_config, levels=table)
    baseline(db)
    for i in range(stories):
        add_copies(db, copies, when=NOW - timedelta(hours=2 + 3 * i), source=source, authors=authors)
    detect(db, config, NOW)
    assert warnings(db) == ([] if expected is None else [("heating", "zhichu", expected)])


def test_one_account_posting_twelve_different_things_is_not_a_spike(db, alert_config):
    baseline(db)
    for i in range(12):
        add_mention(db, when=NOW - timedelta(minutes=10 + 20 * i), source="weibo-x",
                    author="刷屏账号", title=f"暖气不热第{i}次发帖")
    assert detect(db, alert_config, NOW).opened == 0


def test_short_windows_compare_with_the_same_hours_of_earlier_days(db, alert_config):
    """A street busy every noon does not warn at noon; the same volume at 3 a.m. does."""
    config = with_detection(alert_config, bucket=timedelta(hours=3))
    noon = NOW.replace(hour=5)                       # 13:00 in Shanghai
    for day in range(0, 15):
        for i in range(3):
            add_mention(db, when=noon - timedelta(days=day, minutes=30 + 40 * i), topic="property",
                        place="xingfu")
    assert detect(db, config, noon).opened == 0
    night = noon.replace(hour=19)                     # 03:00 the next morning in Shanghai
    spike(db, 3, topic="property", place="xingfu", at=night, every=30)
    detect(db, config, night)
    assert warnings(db) == [("property", "xingfu", "一般")]
    with db.session() as s:
        assert "同时段" in s.scalar(select(Warning.summary))


def test_ordinary_noise_opens_nothing(db, alert_config):
    for topic, place, source in (("heating", "zhichu", "board"), ("education", "xiangyang", "shm-yantai"),
                                 ("cityorder", "baishi", "board")):
        baseline(db, per_day=1.5, topic=topic, place=place, source=source)
    assert detect(db, alert_config, NOW).opened == 0


def test_same_spike_updates_one_warning_and_escalates_severity(db, alert_config):
    baseline(db)
    spike(db, 4)
    first = detect(db, alert_config, NOW)
    again = detect(db, alert_config, NOW)
    assert (first.opened, again.opened, again.updated) == (1, 0, 0)
    wave(db, 5, at=NOW + timedelta(minutes=5), every=20)       # the press and Weibo carry it too
    later = detect(db, alert_config, NOW + timedelta(minutes=5))
    assert later.opened == 0 and later.updated == 1
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert w.severity == "较大" and w.revision == 2 and len(w.evidence) == 9
        assert w.key == "spike:heating:zhichu#1"
        # the upgrade is announced again to every receiver
        assert {d.key.split(":")[1] for d in s.scalars(select(Delivery))} == {"r1", "r2"}
        assert [e.action for e in w.events] == ["开启", "升级"]


def test_rising_to_a_major_level_adds_the_receivers_of_that_level(db, alert_config):
    baseline(db)
    spike(db, 4)
    detect(db, alert_config, NOW)
    later = NOW + timedelta(minutes=10)
    wave(db, 60, at=later)          # across the board, news sites and social media
    detect(db, alert_config, later)
    with db.session() as s:
        w = s.scalar(select(Warning))
        roles = {a.department_id: a.role for a in w.assignments}
    assert w.severity == "重大" and roles["xuanchuan"] == "抄送" and roles["zhujian"] == "主管"
    assert w.respond_by - w.opened_at == timedelta(hours=5)
    assert "3个渠道" in w.summary and "定为重大" in w.summary


def test_warning_routed_to_owner_and_handler_with_outbox(db, alert_config):
    baseline(db)
    spike(db, 5)
    detect(db, alert_config, NOW)
    with db.session() as s:
        w = s.scalar(select(Warning))
        roles = {a.department_id: a.role for a in s.scalars(select(Assignment))}
        assert roles == {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调"}
        deliveries = s.scalars(select(Delivery)).all()
        assert {d.department_id for d in deliveries} == set(roles)
        body = next(d.body for d in deliveries if d.department_id == "zhichu")
        assert "职责：处置" in body and "只楚街道" in body and "http://sample.test/board/" in body
        assert f"/warnings/{w.id}?t=" in body
        assert w.respond_by - w.opened_at == timedelta(hours=48)


def test_place_spike_explains_the_district_one(db, alert_config):
    baseline(db)
    spike(db, 6)
    detect(db, alert_config, NOW)
    assert warnings(db) == [("heating", "zhichu", "一般")]      # not also ("heating", None, …)


def test_spells_across_places_warn_district_wide(db, alert_config):
    for place in ("zhichu", "baishi", "xingfu", "qishan"):
        baseline(db, per_day=0.25, place=place)
    places = ("zhichu", "baishi", "xingfu", "qishan", "dongshan", "tongshen", "huangwu", "zhifudao")
    for i, place in enumerate(places):
        spike(db, 1, place=place, at=NOW - timedelta(minutes=15 * i))
    detect(db, alert_config, NOW)
    # one a day district-wide is normal; eight in a day, one per street, is not (z 4.3)
    assert warnings(db) == [("heating", None, "一般")]


@pytest.mark.parametrize("per_day,count,expected", [
    (0.5, 4, None),       # four in a day where one comes every other day: p ≈ 2e-3, noise
    (0.5, 6, "一般"),
    (2.0, 6, None),       # a busy series needs more
    (2.0, 9, "一般"),
])
def test_the_bar_rises_with_the_series_own_level(db, alert_config, per_day, count, expected):
    baseline(db, per_day=per_day)
    spike(db, count)
    detect(db, alert_config, NOW)
    assert warnings(db) == ([] if expected is None else [("heating", "zhichu", expected)])


def test_critical_word_warns_on_a_single_item(db, alert_config):
    add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="tongshen", source="news",
                kind="article", title="通伸街道一饭店燃气泄漏引发爆炸 一人受伤")
    add_mention(db, when=NOW - timedelta(hours=2), topic=None, place=None, source="news",
                kind="article", title="外省某地发生爆炸")            # not about the district
    detect(db, alert_config, NOW)
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert (w.kind, w.severity, w.place_id) == ("critical", "重大", "tongshen")
        assert w.summary == "出现关键词：受伤、爆炸"
        assert w.respond_by - w.opened_at == timedelta(hours=5)
        assert w.press_conference_by - w.opened_at == timedelta(hours=24)


def test_government_notices_never_warn_and_authoritative_outlets_do(db, alert_config):
    add_mention(db, when=NOW - timedelta(hours=1), topic="education", place="xiangyang",
                source="zhifu-gov-news", kind="article", title="关于向阳街道某小学入学划片问题的情况通报")
    add_mention(db, when=NOW - timedelta(hours=1), topic="employment", place=None,
                source="zhifu-gov-notice", kind="article", title="区人社局部署根治欠薪冬季专项行动")
    add_mention(db, when=NOW - timedelta(hours=1), topic="education", place="xiangyang",
                source="board", title="入学划片不公平")             # the public: no single-item rule
    assert detect(db, alert_config, NOW).opened == 0
    config = with_detection(alert_config, authoritative=["media", "official"])
    add_mention(db, when=NOW - timedelta(hours=1), topic="education", place="xiangyang",
                source="shm-yantai", kind="article", title="向阳街道入学划片引发家长不满")
    detect(db, config, NOW)
    assert warnings(db, "authority") == [("education", "xiangyang", "较大")]


def test_unanswered_board_message(db, alert_config):
    add_mention(db, when=NOW - timedelta(days=8), topic="cityorder", place="baishi",
                title="白石街道占道经营噪音扰民无人管", kind="message")
    add_mention(db, when=NOW - timedelta(days=8), topic="cityorder", place="baishi",
                title="已答复的留言", reply="已整改", kind="message")
    add_mention(db, when=NOW - timedelta(days=2), topic="cityorder", place="baishi", title="新留言", kind="message")
    detect(db, alert_config, NOW)
    assert detect(db, alert_config, NOW + timedelta(hours=1)).opened == 0    # warns once
    with db.session() as s:
        got = s.scalars(select(Warning)).all()
        assert [(w.kind, w.title) for w in got] == [("unanswered", "群众留言 8 天未答复：白石街道占道经营噪音扰民无人管")]


def test_spike_subsides_when_series_returns_to_normal_and_a_new_spike_opens_anew(db, alert_config):
    baseline(db)
    spike(db, 5)
    detect(db, alert_config, NOW)
    assert detect(db, alert_config, NOW + timedelta(hours=12)).subsided == 0   # still in window
    later = detect(db, alert_config, NOW + timedelta(days=3))
    assert later.subsided == 1
    with db.session() as s:
        assert s.scalar(select(Warning)).subsided_at == NOW + timedelta(days=3)
    again = NOW + timedelta(days=4)
    spike(db, 5, at=again)
    assert detect(db, alert_config, again).opened == 1
    with db.session() as s:
        assert list(s.scalars(select(Warning.key).order_by(Warning.id))) == [
            "spike:heating:zhichu#1", "spike:heating:zhichu#2"]


def test_critical_item_belongs_to_the_topic_of_its_critical_word(db, alert_config):
    """An explosion report that mentions the hospital is a safety matter (应急局), not medical."""
    from yuqing.storage.models import MentionTopic

    mid = add_mention(db, when=NOW - timedelta(hours=1), topic=None, place="tongshen", source="news",
                      kind="article", title="通伸街道一饭店燃气泄漏爆炸 伤者已送医院救治")
    with db.session() as s:
        s.add_all([MentionTopic(mention_id=mid, topic_id="medical", matched=["医院", "事故", "救治"]),
                   MentionTopic(mention_id=mid, topic_id="safety", matched=["燃气", "爆炸"])])
    detect(db, alert_config, NOW)
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert (w.kind, w.topic_id) == ("critical", "safety")
        assert {a.department_id: a.role for a in w.assignments}["yingji"] == "主管"

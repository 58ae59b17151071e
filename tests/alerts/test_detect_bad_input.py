"""Slow burns, and input that must never set off a storm of warnings: a topic rule that
matches everything, one account flooding a matter, a clock that jumps, a month with no data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.storage.models import Warning
from tests.alerts.helpers import NOW, baseline, spike
from tests.factories import add_mention


def kinds(db):
    with db.session() as s:
        return [(w.kind, w.topic_id, w.place_id, w.severity) for w in s.scalars(select(Warning).order_by(Warning.id))]


def slow_burn(db, per_day, topic="education", place="xiangyang", end=NOW):
    """per_day[i] complaints on day i, the last day ending at `end`, spread over the day."""
    for d, n in enumerate(reversed(per_day)):
        for i in range(n):
            add_mention(db, when=end - timedelta(days=d, hours=1 + 20 * i / n), topic=topic, place=place,
                        title=f"学区划片不合理（{d}-{i}）")


def test_a_slow_burn_no_single_hour_shows_warns_as_a_trend(db, alert_config):
    baseline(db, days=21, per_day=0.15, topic="education", place="xiangyang")
    slow_burn(db, [3, 4, 3, 5, 4, 6, 5])
    for hours in range(0, 7 * 24, 6):        # the detector ran all week; spikes stayed quiet
        detect(db, alert_config, NOW - timedelta(days=7) + timedelta(hours=hours))
    detect(db, alert_config, NOW)
    found = kinds(db)
    assert ("trend", "education", "xiangyang", "一般") in found, found
    assert all(k[0] == "trend" for k in found), found
    with db.session() as s:
        w = s.scalar(select(Warning).where(Warning.kind == "trend"))
        assert "持续" in w.summary and "此前平均每天" in w.summary
    # the trend updates its warning, never opens a second one
    assert detect(db, alert_config, NOW + timedelta(hours=1)).opened == 0


def test_one_busy_day_is_a_spike_not_a_trend(db, alert_config):
    baseline(db, per_day=0.15, topic="education", place="xiangyang")
    slow_burn(db, [0, 0, 0, 0, 0, 12])
    detect(db, alert_config, NOW)
    assert [k[0] for k in kinds(db)] == ["spike"]


def test_a_topic_rule_that_matches_everything_raises_no_storm(db, alert_config):
    """Every item in the topic 'heating' everywhere: its series are the catch-all's, and
    ordinary noise on every street stays quiet."""
    for place in ("zhichu", "baishi", "xingfu", "qishan", "dongshan", "tongshen"):
        baseline(db, per_day=1.0, topic="heating", place=place)
    for place in ("zhichu", "baishi", "xingfu"):
        spike(db, 1, topic="heating", place=place)
    assert detect(db, alert_config, NOW).opened == 0
    spike(db, 9, topic="heating", place="baishi", at=NOW + timedelta(minutes=5))
    detect(db, alert_config, NOW + timedelta(minutes=5))
    assert [k[:3] for k in kinds(db)] == [("spike", "heating", "baishi")]     # one, not two


def test_one_account_flooding_a_matter_is_one_voice(db, alert_config):
    baseline(db)
    for i in range(200):
        add_mention(db, when=NOW - timedelta(minutes=1 + 5 * i % 600), source="weibo-x", author="某刷屏账号",
                    title=f"暖气不热！！！（{i}）")
    assert detect(db, alert_config, NOW).opened == 0


def test_a_clock_that_jumps_back_and_forth_repeats_nothing(db, alert_config):
    baseline(db)
    spike(db, 5)
    assert detect(db, alert_config, NOW).opened == 1
    for at in (NOW - timedelta(hours=3), NOW + timedelta(days=400), NOW - timedelta(days=2), NOW):
        summary = detect(db, alert_config, at)
        assert summary.opened == 0, at
    far = detect(db, alert_config, NOW + timedelta(days=400))
    assert far.notes and "基线期内没有任何信息" in far.notes[0]
    # items dated in the future (a source's wrong clock) wait for their time, not counted now
    for i in range(10):
        add_mention(db, when=NOW + timedelta(days=3, minutes=i), place="baishi")
    assert detect(db, alert_config, NOW + timedelta(minutes=1)).opened == 0
    assert len(kinds(db)) == 1


def test_a_month_with_no_data_says_so_and_warns_nothing(db, alert_config):
    empty = detect(db, alert_config, NOW)
    assert (empty.opened, empty.notes) == (0, ["库中还没有信息，暂不做突增和持续升温检测"])
    # the first day of a new store: too little history to call anything a spike
    spike(db, 6)
    young = detect(db, alert_config, NOW)
    assert young.opened == 0 and "不足 3 天" in young.notes[0]
    # an incident still warns from the first cycle
    add_mention(db, when=NOW - timedelta(minutes=30), topic=None, place="xingfu", source="shm-yantai",
                kind="article", title="幸福街道一居民楼起火 两人受伤送医")
    assert detect(db, alert_config, NOW).opened == 1

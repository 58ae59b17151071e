"""Detection: spikes against each series' own baseline, single-item rules, idempotent warnings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from alerts.detect import detect
from storage.models import Assignment, Delivery, Warning
from tests.factories import add_mention
from yuqing.timeutil import now

NOW = now().replace(microsecond=0)


def baseline(db, days: int = 14, per_day: float = 0.5, topic="heating", place="zhichu", at=NOW):
    """Ordinary noise: one negative item every 1/per_day days, never clustered."""
    step = timedelta(days=1 / per_day)
    t = at - timedelta(days=1, hours=3)
    while t > at - timedelta(days=days):
        add_mention(db, when=t, topic=topic, place=place)
        t -= step


def spike(db, n: int, topic="heating", place="zhichu", source="board", at=NOW):
    for i in range(n):
        add_mention(db, when=at - timedelta(minutes=20 + 50 * i), topic=topic, place=place,
                    source=source)


@pytest.mark.parametrize("count,expected", [
    (0, None),
    (2, None),          # below the minimum volume
    (4, "一般"),
    (8, "较大"),
    (20, "重大"),
])
def test_spike_severity_table(db, default_config, count, expected):
    baseline(db)
    spike(db, count)
    detect(db, default_config, NOW)
    with db.session() as s:
        got = s.scalars(select(Warning).where(Warning.kind == "spike")).all()
    if expected is None:
        assert got == []
    else:
        assert [(w.topic_id, w.place_id, w.severity) for w in got] == [("heating", "zhichu", expected)]


def test_ordinary_noise_opens_nothing(db, default_config):
    for topic, place in (("heating", "zhichu"), ("education", "xiangyang"), ("cityorder", "baishi")):
        baseline(db, per_day=1.5, topic=topic, place=place)
    summary = detect(db, default_config, NOW)
    assert summary.opened == 0


def test_same_spike_updates_one_warning_and_escalates_severity(db, default_config):
    baseline(db)
    spike(db, 4)
    first = detect(db, default_config, NOW)
    again = detect(db, default_config, NOW)
    assert (first.opened, again.opened, again.updated) == (1, 0, 0)
    spike(db, 5)
    later = detect(db, default_config, NOW + timedelta(minutes=5))
    assert later.opened == 0 and later.updated == 1
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert w.severity == "较大" and w.revision == 2 and len(w.evidence) == 9
        # the upgrade is announced again to every receiver
        assert {d.key.split(":")[1] for d in s.scalars(select(Delivery))} == {"r1", "r2"}


def test_warning_routed_to_owner_and_handler_with_outbox(db, default_config):
    baseline(db)
    spike(db, 5)
    detect(db, default_config, NOW)
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


def test_critical_word_warns_on_a_single_item(db, default_config):
    add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="tongshen", source="news",
                kind="article", title="通伸街道一饭店燃气泄漏引发爆炸 一人受伤")
    detect(db, default_config, NOW)
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert (w.kind, w.severity, w.place_id) == ("critical", "重大", "tongshen")
        assert w.respond_by - w.opened_at == timedelta(hours=5)
        assert w.press_conference_by - w.opened_at == timedelta(hours=24)


def test_unanswered_board_message(db, default_config):
    add_mention(db, when=NOW - timedelta(days=8), topic="cityorder", place="baishi",
                title="白石街道占道经营噪音扰民无人管", kind="message")
    add_mention(db, when=NOW - timedelta(days=8), topic="cityorder", place="baishi",
                title="已答复的留言", reply="已整改", kind="message")
    add_mention(db, when=NOW - timedelta(days=2), topic="cityorder", place="baishi", title="新留言", kind="message")
    detect(db, default_config, NOW)
    with db.session() as s:
        got = s.scalars(select(Warning)).all()
        assert [(w.kind, w.title) for w in got] == [("unanswered", "群众留言 8 天未答复：白石街道占道经营噪音扰民无人管")]


def test_spike_subsides_when_series_returns_to_normal(db, default_config):
    baseline(db)
    spike(db, 5)
    detect(db, default_config, NOW)
    later = detect(db, default_config, NOW + timedelta(days=3))
    assert later.subsided == 1
    with db.session() as s:
        assert s.scalar(select(Warning)).subsided_at is not None

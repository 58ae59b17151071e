"""Escalation: an unacknowledged warning climbs the department's chain, step by step."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.escalate import escalate_overdue
from yuqing.alerts.respond import acknowledge
from yuqing.storage.models import Delivery, Warning
from tests.alerts.helpers import NOW, baseline, spike, with_channels


def test_unacknowledged_warning_climbs_the_chain(db, alert_config):
    config = with_channels(alert_config, {}, {"zhichu": {"escalation": ["qzfb", "xuanchuan"],
                                                           "escalate_after": timedelta(hours=1)}})
    baseline(db)
    spike(db, 5)
    detect(db, config, NOW)                              # 一般: sign within 8 hours
    acknowledge(db, config, 1, "王主任", "zhujian", at=NOW + timedelta(hours=1))
    assert escalate_overdue(db, config, NOW + timedelta(hours=7, minutes=59)) == 0
    assert escalate_overdue(db, config, NOW + timedelta(hours=8, minutes=1)) == 1     # zhichu → qzfb
    assert escalate_overdue(db, config, NOW + timedelta(hours=8, minutes=30)) == 0    # next step in 1 h
    assert escalate_overdue(db, config, NOW + timedelta(hours=9, minutes=1)) == 1     # → xuanchuan
    assert escalate_overdue(db, config, NOW + timedelta(hours=20)) == 0               # chain exhausted
    with db.session() as s:
        w = s.get(Warning, 1)
        roles = {a.department_id: a.role for a in w.assignments}
        details = [e.detail for e in w.events if e.action == "上报"]
        notified = sorted(s.scalars(select(Delivery.key).where(Delivery.key.like("w1:r_:%"),
                                                               Delivery.key.not_like("w1:r1:%"))))
    assert roles["xuanchuan"] == "上报" and roles["qzfb"] == "协调"
    assert details == ["只楚街道办事处未在本单位签收时限（2025-01-15 19:00）前签收，上报区政府办公室",
                       "只楚街道办事处未在本单位签收时限（2025-01-15 19:00）前签收，上报区委宣传部（网信办）"]
    assert notified == ["w1:r2:qzfb:0", "w1:r3:xuanchuan:0"]


def test_signing_in_time_stops_escalation(db, alert_config):
    config = alert_config
    baseline(db)
    spike(db, 5)
    detect(db, alert_config, NOW)
    acknowledge(db, config, 1, "王主任", "zhujian", at=NOW + timedelta(hours=1))
    acknowledge(db, config, 1, "李干事", "zhichu", at=NOW + timedelta(hours=2))
    # both signed in time; neither responded: each is reported once, on its own 回应时限
    assert escalate_overdue(db, alert_config, NOW + timedelta(hours=47)) == 0
    assert escalate_overdue(db, alert_config, NOW + timedelta(days=2, minutes=1)) == 2
    assert escalate_overdue(db, alert_config, NOW + timedelta(days=3)) == 0

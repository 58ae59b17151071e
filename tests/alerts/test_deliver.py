"""Delivery through a real SMTP server and a webhook receiver: once each, through outages."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from yuqing.alerts.channels import Message
from yuqing.alerts.channels.mail import send_mail
from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from yuqing.config.models import QuietHours
from yuqing.config.settings import SeverityLevel
from yuqing.storage.alerting import DeliveryBatch
from yuqing.storage.models import Delivery
from tests.alerts.conftest import Hook
from tests.alerts.helpers import DAYTIME, NIGHT, baseline, spike, wave, with_channels, with_detection
from tests.receivers import SMTPReceiver


def open_heating_warning(db, config, at=DAYTIME, n=5):
    baseline(db, at=at)
    spike(db, n, at=at)
    assert detect(db, config, at).opened == 1


def test_each_department_gets_its_warning_once(db, alert_config, smtp, hook):
    config = with_channels(alert_config, {"zhujian": [smtp.url("zhujian@zhifu.test")],
                                            "zhichu": [hook.url()]}, group_wait=timedelta(0))
    open_heating_warning(db, config)
    first = send_due(db, config, DAYTIME)
    again = send_due(db, config, DAYTIME + timedelta(minutes=1))
    assert first.sent == 3 and again.sent == 0
    [subject] = smtp.subjects()
    assert subject == "【舆情预警·一般】只楚街道“冬季供暖”负面舆情上升"
    [mail] = smtp.messages
    assert mail["Message-ID"].startswith("<yuqing.w1-r1-zhujian-0.") and mail["To"] == "zhujian@zhifu.test"
    body = smtp.bodies()[0]
    assert "职责：主管" in body and "http://sample.test/board/" in body and "/warnings/1?t=" in body
    [(key, posted)] = hook.posts
    assert key == "yuqing-w1:r1:zhichu:0" and "职责：处置" in posted["message"]


def test_the_same_delivery_always_has_the_same_message_id(smtp):
    message = Message("w7:r2:zhujian:0", "zhujian", "【舆情预警·一般】测试", "正文")
    send_mail(smtp.url("a@zhifu.test"), message)
    send_mail(smtp.url("a@zhifu.test"), message)
    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"] and first["X-Yuqing-Delivery"] == "w7:r2:zhujian:0"


def test_outage_then_recovery_delivers_every_message_exactly_once(db, alert_config):
    """Mail server and webhook both down for twenty minutes while warnings keep coming."""
    smtp, hook = SMTPReceiver(), Hook()                 # both down
    config = with_channels(alert_config, {"zhujian": [smtp.url()], "zhichu": [hook.url()],
                                            "baishi": [hook.url()], "zhifa": [smtp.url("zhifa@zhifu.test")]},
                           group_wait=timedelta(0), retry_base=timedelta(seconds=30))
    open_heating_warning(db, config)
    baseline(db, topic="cityorder", place="baishi")
    t = DAYTIME
    for minute in range(0, 20):
        if minute == 7:
            spike(db, 5, topic="cityorder", place="baishi", at=t + timedelta(minutes=7))
            detect(db, config, t + timedelta(minutes=7))
        down = send_due(db, config, t + timedelta(minutes=minute))
        assert down.sent <= 2                               # only the dryrun duty office gets through
    with db.session() as s:
        waiting = s.scalars(select(DeliveryBatch).where(DeliveryBatch.status == "retry")).all()
        assert len(waiting) == 4 and all("失败" in b.last_error or "Connection" in b.last_error for b in waiting)
    smtp.start()
    hook.start()
    try:
        for minute in range(20, 60):
            send_due(db, config, t + timedelta(minutes=minute))
        assert sorted(smtp.subjects()) == sorted([
            "【舆情预警·一般】只楚街道“冬季供暖”负面舆情上升",
            "【舆情预警·一般】白石街道“市容与违建”负面舆情上升"])
        assert len(hook.posts) == 2 and len(hook.delivered) == 2        # raw arrivals: once each
        with db.session() as s:
            assert {d.status for d in s.scalars(select(Delivery))} == {"sent"}
    finally:
        smtp.stop()
        hook.stop()


@pytest.mark.parametrize("failures,expected_waits", [
    (1, [30]),
    (3, [30, 60, 120]),
    (5, [30, 60, 120, 240, 480]),
])
def test_retries_back_off_exponentially(db, alert_config, hook, failures, expected_waits):
    config = with_channels(alert_config, {"zhichu": [hook.url()]}, group_wait=timedelta(0),
                           retry_base=timedelta(seconds=30))
    open_heating_warning(db, config)
    hook.failures = failures
    t, waits = DAYTIME, []
    for _ in range(failures + 1):
        send_due(db, config, t)
        with db.session() as s:
            batch = s.scalar(select(DeliveryBatch).where(DeliveryBatch.department_id == "zhichu"))
        if batch.status == "sent":
            break
        waits.append(int((batch.next_attempt_at - t).total_seconds()))
        assert send_due(db, config, batch.next_attempt_at - timedelta(seconds=1)).sent == 0
        t = batch.next_attempt_at
    assert waits == expected_waits and batch.status == "sent" and batch.attempts == failures + 1
    assert len(hook.delivered) == 1


def test_grouping_puts_several_warnings_in_one_message(db, alert_config, hook):
    config = with_channels(alert_config, {"qzfb": [hook.url()]}, group_wait=timedelta(seconds=30))
    baseline(db)
    spike(db, 5)
    spike(db, 5, topic="property", place="xingfu")
    detect(db, config, DAYTIME)
    assert send_due(db, config, DAYTIME).sent == 0           # waiting for siblings
    send_due(db, config, DAYTIME + timedelta(seconds=31))
    [title] = hook.titles()
    assert title.startswith("【舆情预警】共 2 条")
    [(_, posted)] = hook.posts
    assert "【第 1 条】" in posted["message"] and "【第 2 条】" in posted["message"]


def test_quiet_hours_hold_low_severity_until_morning(db, alert_config, hook):
    config = with_channels(alert_config, {"zhichu": [hook.url()]}, group_wait=timedelta(0))
    open_heating_warning(db, config, at=NIGHT)
    summary = send_due(db, config, NIGHT)
    assert summary.held >= 1 and hook.posts == []
    send_due(db, config, NIGHT + timedelta(hours=8))          # 07:00: still quiet
    assert hook.posts == []
    send_due(db, config, NIGHT + timedelta(hours=8, minutes=30))   # 07:30
    assert len(hook.posts) == 1


def test_major_warnings_are_not_held_at_night(db, alert_config, hook):
    config = with_channels(alert_config, {"zhichu": [hook.url()]}, group_wait=timedelta(0))
    baseline(db, at=NIGHT)
    wave(db, 60, at=NIGHT)                                     # 重大
    assert detect(db, config, NIGHT).opened == 1
    send_due(db, config, NIGHT)
    assert hook.titles() == ["【舆情预警·重大】只楚街道“冬季供暖”负面舆情上升"]


@pytest.mark.parametrize("quiet,delivered_at_night", [
    (QuietHours(start="00:00", end="00:00"), True),            # a night desk: no quiet hours
    (QuietHours(start="20:00", end="08:00", hold_below="特别重大"), False),
    (QuietHours(start="01:00", end="06:00"), True),            # 23:00 is outside its quiet hours
])
def test_a_departments_own_quiet_hours_win(db, alert_config, hook, quiet, delivered_at_night):
    config = with_channels(alert_config, {"zhichu": [hook.url()]}, {"zhichu": {"quiet_hours": quiet}},
                           group_wait=timedelta(0))
    open_heating_warning(db, config, at=NIGHT)
    send_due(db, config, NIGHT)
    assert bool(hook.posts) == delivered_at_night


def test_new_evidence_is_repeated_only_after_the_repeat_interval(db, alert_config, hook):
    config = with_channels(alert_config, {"zhichu": [hook.url()]}, group_wait=timedelta(0),
                           repeat_interval=timedelta(hours=4))
    # one level only, so new items add evidence without raising the severity
    config = with_detection(config, levels=[SeverityLevel(level="一般", min_count=3, min_ratio=3, min_z=3)])
    open_heating_warning(db, config)
    send_due(db, config, DAYTIME)
    for hours in (1, 2, 5):
        at = DAYTIME + timedelta(hours=hours)
        spike(db, 1, at=at)                                    # one more item: same severity
        detect(db, config, at)
        send_due(db, config, at)
    # the first, and the one 5 h later; the updates at 1 h and 2 h were recorded, not sent
    assert list(hook.delivered) == ["yuqing-w1:r1:zhichu:0", "yuqing-w1:r4:zhichu:0"]


def test_when_every_channel_fails_the_duty_office_is_told(db, alert_config, hook):
    config = with_channels(alert_config, {"zhichu": ["json://127.0.0.1:9/down", "json://127.0.0.1:9/also"],
                                            "qzfb": [hook.url()]},
                           group_wait=timedelta(0), max_attempts=2, retry_base=timedelta(seconds=1))
    open_heating_warning(db, config)
    for step in range(4):
        send_due(db, config, DAYTIME + timedelta(seconds=10 * step))
    titles = [t for t in hook.titles() if t.startswith("【投递失败】")]
    assert titles == ["【投递失败】只楚街道办事处未能收到：【舆情预警·一般】只楚街道“冬季供暖”负面舆情上升"]


def test_one_working_channel_is_enough(db, alert_config, hook):
    config = with_channels(alert_config, {"zhichu": ["json://127.0.0.1:9/down", hook.url()],
                                            "qzfb": [hook.url()]},
                           group_wait=timedelta(0), max_attempts=2, retry_base=timedelta(seconds=1))
    open_heating_warning(db, config)
    for step in range(4):
        send_due(db, config, DAYTIME + timedelta(seconds=10 * step))
    assert not any(t.startswith("【投递失败】") for t in hook.titles())


def test_a_department_without_channels_is_reached_through_the_duty_office(db, alert_config, hook):
    config = with_channels(alert_config, {"qzfb": [hook.url()]}, {"zhichu": {"channels": []}},
                           group_wait=timedelta(0))
    open_heating_warning(db, config)
    send_due(db, config, DAYTIME)
    [(_, posted)] = hook.posts                     # with the duty office's own copy, grouped
    assert "【请转只楚街道办事处】" in posted["title"]
    assert "只楚街道办事处未配置通知渠道，请值班人员转告" in posted["message"]
    assert "职责：处置" in posted["message"] and "职责：协调" in posted["message"]


def test_concurrent_senders_never_send_one_delivery_twice(db, alert_config, hook):
    channels = {d.id: [hook.url()] for d in alert_config.departments}
    config = with_channels(alert_config, channels, group_wait=timedelta(0))
    open_heating_warning(db, config)
    barrier = threading.Barrier(3)
    errors = []

    def sender():
        barrier.wait()
        try:
            send_due(db, config, DAYTIME)
        except Exception as exc:   # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(hook.posts) == 3 and len(hook.delivered) == 3

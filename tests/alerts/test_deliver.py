"""Delivery through a real SMTP server and a webhook receiver: once each, through outages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from alerts.deliver import send_due
from alerts.detect import detect
from storage.models import Delivery
from tests.alerts.test_detect import NOW, baseline, spike
from tests.receivers import SMTPReceiver, WebhookReceiver

DAYTIME = NOW.replace(hour=3, minute=0)     # 11:00 in Shanghai: outside quiet hours
NIGHT = NOW.replace(hour=15, minute=0)      # 23:00 in Shanghai


def with_channels(config, channels: dict[str, list[str]], **delivery):
    departments = [d.model_copy(update={"channels": channels.get(d.id, ["dryrun://"])})
                   for d in config.departments]
    settings = config.settings.model_copy(update={
        "delivery": config.settings.delivery.model_copy(update=delivery)})
    return config.model_copy(update={"departments": departments, "settings": settings})


@pytest.fixture
def smtp():
    receiver = SMTPReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def hook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


def open_heating_warning(db, config):
    baseline(db, at=DAYTIME)
    spike(db, 5, at=DAYTIME)
    assert detect(db, config, DAYTIME).opened == 1


def test_each_department_gets_its_warning_once(db, default_config, smtp, hook):
    config = with_channels(default_config, {"zhujian": [smtp.url("zhujian@zhifu.test")],
                                            "zhichu": [hook.url()]}, group_wait=timedelta(0))
    open_heating_warning(db, config)
    first = send_due(db, config, DAYTIME)
    again = send_due(db, config, DAYTIME + timedelta(minutes=1))
    assert first.sent == 3 and again.sent == 0
    [subject] = smtp.subjects()
    assert subject == "【舆情预警·一般】只楚街道“冬季供暖”负面舆情上升"
    assert "职责：主管" in smtp.bodies()[0] and "http://sample.test/board/" in smtp.bodies()[0]
    [posted] = hook.received
    assert "职责：处置" in posted["message"]


def test_smtp_outage_then_recovery_delivers_exactly_once(db, default_config):
    smtp = SMTPReceiver()          # not started: the mail server is down
    config = with_channels(default_config, {"zhujian": [smtp.url()]}, group_wait=timedelta(0),
                           retry_base=timedelta(seconds=10))
    open_heating_warning(db, config)
    t = DAYTIME
    down = send_due(db, config, t)
    assert down.failed == 1
    with db.session() as s:
        row = s.scalar(select(Delivery).where(Delivery.department_id == "zhujian"))
        assert row.status == "pending" and "Connection" in row.last_error
    assert send_due(db, config, t + timedelta(seconds=5)).failed == 0     # backoff: not yet due
    smtp.start()
    try:
        for minutes in range(1, 6):
            send_due(db, config, t + timedelta(minutes=minutes))
        assert len(smtp.messages) == 1
    finally:
        smtp.stop()


def test_grouping_puts_several_warnings_in_one_message(db, default_config, hook):
    config = with_channels(default_config, {"qzfb": [hook.url()]}, group_wait=timedelta(seconds=30))
    baseline(db, at=DAYTIME)
    spike(db, 5, at=DAYTIME)
    spike(db, 5, topic="property", place="xingfu", at=DAYTIME)
    detect(db, config, DAYTIME)
    assert send_due(db, config, DAYTIME).sent == 0          # waiting for siblings
    send_due(db, config, DAYTIME + timedelta(seconds=31))
    [posted] = hook.received
    assert posted["title"].startswith("【舆情预警】共 2 条")


def test_quiet_hours_hold_low_severity_until_morning(db, default_config, hook):
    config = with_channels(default_config, {"zhichu": [hook.url()]}, group_wait=timedelta(0))
    night = NIGHT
    baseline(db, at=night)
    spike(db, 5, at=night)
    detect(db, config, night)
    summary = send_due(db, config, night)
    assert summary.held >= 1 and hook.received == []
    send_due(db, config, night + timedelta(hours=9))         # 08:00
    assert len(hook.received) == 1


def test_when_every_channel_fails_the_duty_office_is_told(db, default_config, hook):
    config = with_channels(default_config, {"zhichu": ["json://127.0.0.1:9/down"], "qzfb": [hook.url()]},
                           group_wait=timedelta(0), max_attempts=2, retry_base=timedelta(seconds=1))
    open_heating_warning(db, config)
    t = DAYTIME
    for step in range(4):
        send_due(db, config, t + timedelta(seconds=10 * step))
    titles = [p["title"] for p in hook.received]
    assert any(t.startswith("【投递失败】只楚街道办事处未能收到") for t in titles)

"""The duty digest reaches the duty office through the outbox, once per shift."""

from __future__ import annotations

from datetime import timedelta

import pytest

from yuqing.alerts.deliver import send_due
from yuqing.reports.digest import build_digest
from yuqing.reports.dispatch import queue_digest, shift_slot
from yuqing.storage.models import Delivery
from tests.receivers import WebhookReceiver
from tests.reports.scenario import AT
from yuqing.timeutil import SHANGHAI


@pytest.fixture
def hook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.mark.parametrize("clock,slot", [
    ("08:00", "08:00"), ("09:40", "08:00"), ("18:05", "18:00"), ("07:59", "18:00 yesterday"),
])
def test_shift_slot(default_config, clock, slot):
    hour, minute = map(int, clock.split(":"))
    at = AT.replace(hour=hour, minute=minute).astimezone(SHANGHAI)
    got = shift_slot(default_config, at)
    want_day = at.date() - timedelta(days=1) if slot.endswith("yesterday") else at.date()
    assert (got.date(), got.strftime("%H:%M")) == (want_day, slot.split()[0])


def test_digest_goes_to_the_duty_office_once_per_shift(db, default_config, scenario, hook):
    duty = default_config.department("qzfb").model_copy(update={"channels": [hook.url()]})
    config = default_config.model_copy(update={"departments": [
        duty if d.id == "qzfb" else d.model_copy(update={"channels": ["dryrun://"]})
        for d in default_config.departments]})
    until = AT + timedelta(minutes=30)                     # built in the 08:00 shift
    with db.session() as s:                                # a warning due to the office too
        s.add(Delivery(key="w-test:qzfb:hook", warning_id=scenario["heating"], department_id="qzfb",
                       channel=hook.url(), subject="【舆情预警·较大】测试预警", body="预警正文",
                       created_at=until, next_attempt_at=until))
    digest = build_digest(db, config, since=AT - timedelta(hours=12), until=until)
    assert queue_digest(db, config, digest) == 1
    rebuilt = build_digest(db, config, since=AT - timedelta(hours=12), until=until + timedelta(minutes=20))
    assert queue_digest(db, config, rebuilt) == 0           # a rerun of the same shift
    send_due(db, config, until + timedelta(hours=1))
    digests = [m for m in hook.received if m["title"].startswith("【值班摘要】")]
    assert len(digests) == 1
    assert digests[0]["title"].startswith("【值班摘要】芝罘区舆情 2024-12-12 08:00（新增预警 ")
    assert "只楚街道“冬季供暖”负面舆情上升" in digests[0]["message"]
    # the warning to the office still comes as a warning, not folded into the digest
    assert [m["title"] for m in hook.received if not m["title"].startswith("【值班摘要】")] == [
        "【舆情预警·较大】测试预警"]

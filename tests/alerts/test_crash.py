"""A sender killed mid-send (SIGKILL, no cleanup): no delivery lost, none doubled.

The receiver delays its answer, so the child is killed after the receiver took the message
and before the sender could record it: the one case no sender can settle alone. The batch
is re-sent after its lease with the same Idempotency-Key, which the receiver honours.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from yuqing.alerts.deliver import SEND_LEASE, send_due
from yuqing.alerts.detect import detect
from yuqing.storage.alerting import DeliveryBatch
from yuqing.storage.models import Delivery
from tests.alerts.conftest import Hook
from tests.alerts.helpers import DAYTIME, baseline, spike, with_channels

REPO = Path(__file__).resolve().parents[2]


def test_sender_killed_mid_send_loses_nothing_and_doubles_nothing(db, alert_config):
    hook = Hook(delay=3.0).start()
    try:
        channels = {"zhujian": [hook.url()], "zhichu": [hook.url()], "qzfb": [hook.url()]}
        config = with_channels(alert_config, channels, group_wait=timedelta(0))
        baseline(db)
        spike(db, 5)
        detect(db, config, DAYTIME)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.alerts.sender_child", db.url, json.dumps(channels),
             DAYTIME.isoformat()], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert hook.arrived.wait(30), child.stderr.read().decode() if child.poll() is not None else "timeout"
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        assert child.returncode == -signal.SIGKILL
        [(in_flight, _)] = hook.posts
        with db.session() as s:
            assert {b.status for b in s.scalars(select(DeliveryBatch))} == {"sending"}
        hook.delay = 0
        # while the dead sender's lease runs, nobody else sends its batches
        assert send_due(db, config, DAYTIME + timedelta(minutes=1)).sent == 0
        after = send_due(db, config, DAYTIME + SEND_LEASE + timedelta(seconds=1))
        assert after.sent == 3 and after.resent == 3
        assert send_due(db, config, DAYTIME + 2 * SEND_LEASE).sent == 0
        keys = [key for key, _ in hook.posts]
        assert sorted(hook.delivered) == ["yuqing-w1:r1:qzfb:0", "yuqing-w1:r1:zhichu:0",
                                          "yuqing-w1:r1:zhujian:0"]        # none lost
        assert keys.count(in_flight) == 2                    # the in-flight one, re-sent …
        assert all(keys.count(k) == 1 for k in keys if k != in_flight)   # … the others once
        with db.session() as s:
            assert {d.status for d in s.scalars(select(Delivery))} == {"sent"}
    finally:
        hook.stop()

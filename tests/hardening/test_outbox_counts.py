"""Item 9: rows waiting in a send batch (state 'batched', their mail server down) are counted
by `yuqing status` and the duty digest — they used to count a state no row ever has."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select

from yuqing.alerts.deliver import send_due
from yuqing.alerts.detect import detect
from yuqing.reports.health import collect, system_problems
from yuqing.storage.models import Delivery
from tests.alerts.helpers import DAYTIME, with_channels
from tests.factories import add_mention
from tests.receivers import free_port


def test_batched_rows_are_counted_as_sending(db, db_url, alert_config):
    dead = f"mailto://127.0.0.1:{free_port()}?from=yuqing@zhifu.test&to=x@zhifu.test&secure=no"
    config = with_channels(alert_config, {d.id: [dead] for d in alert_config.departments},
                           group_wait=timedelta(0))
    for i in range(3):
        add_mention(db, when=DAYTIME - timedelta(minutes=10 + i), title=f"化工厂爆炸事故第{i}报")
    assert detect(db, config, DAYTIME).opened >= 1
    send_due(db, config, DAYTIME + timedelta(minutes=1))
    with db.session() as s:
        batched = s.scalar(select(func.count()).where(Delivery.status == "batched"))
    assert batched > 0
    box = collect(db, config).outbox
    assert box.sending == batched
    later = DAYTIME + timedelta(hours=2)
    assert any(f"待发送通知积压 {box.pending + batched} 条" in p
               for p in system_problems(db, config, later))
    done = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "status"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "YUQING_DATABASE_URL": db_url,
                                                       "COLUMNS": "200"})
    assert f"发送中 {batched} 条" in done.stdout, done.stdout + done.stderr

"""Skipping, in one batch, the spikes and slow burns whose running warning already holds
their evidence at their level (detect._changed) leaves every warning, its evidence and its
audit trail exactly as handling each finding in its own transaction does."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

import yuqing.alerts.detect as detect_module
from yuqing.alerts.detect import detect
from yuqing.storage.alerting import DeliveryBatch
from yuqing.storage.models import Assignment, Delivery, Warning, WarningEvent, WarningEvidence
from tests.alerts.helpers import NOW
from tests.alerts.test_rollups_detect import add, realistic_store

# cycles every few minutes, then an hour on: spikes run on, grow, gain evidence and subside
CYCLES = [NOW + timedelta(minutes=m) for m in (0, 5, 10, 15, 60, 65, 180, 1440, 1445)]


def arrivals(db):
    """Items published between the cycles (invisible to a cycle before their time): the
    spike at 只楚 grows, a second street starts, an evening lull."""
    with db.session() as s:
        for i in range(10):
            add(s, NOW + timedelta(minutes=1 + 6 * i), "heating", "zhichu", "board", author=f"后来{i}")
        for i in range(8):
            add(s, NOW + timedelta(minutes=50 + 3 * i), "roads", "xiangyang", "weibo-x", author=f"路{i}")


def state(db):
    with db.session() as s:
        warnings = s.execute(select(Warning.id, Warning.key, Warning.severity, Warning.status, Warning.summary,
                                    Warning.count, Warning.revision, Warning.updated_at, Warning.subsided_at)
                             .order_by(Warning.id)).all()
        keys = {w.id: w.key for w in warnings}
        evidence = {}
        for wid, mid in s.execute(select(WarningEvidence.warning_id, WarningEvidence.mention_id)):
            evidence.setdefault(keys[wid], set()).add(mid)
        events = sorted((keys[e.warning_id], e.action, e.detail, e.at) for e in s.scalars(select(WarningEvent)))
        return [tuple(w)[1:] for w in warnings], evidence, events


def reset(db):
    with db.session() as s:
        for table in (DeliveryBatch, Delivery, WarningEvent, WarningEvidence, Assignment, Warning):
            s.execute(delete(table))


def run(db, config):
    outcomes = []
    for at in CYCLES:
        r = detect(db, config, at)
        outcomes.append((at, r.opened, r.updated, r.subsided, r.responses))
    return outcomes, state(db)


def test_skipping_unchanged_series_findings_changes_nothing(db, alert_config, monkeypatch):
    realistic_store(db)
    arrivals(db)
    skipped = []
    check = detect_module._running_unchanged
    monkeypatch.setattr(detect_module, "_running_unchanged",
                        lambda s, findings: skipped.append(check(s, findings)) or skipped[-1])
    fast = run(db, alert_config)
    reset(db)
    # the reference: every spike and slow burn through open_or_update, as before the batch check
    monkeypatch.setattr(detect_module, "_running_unchanged", lambda s, findings: set())
    slow = run(db, alert_config)
    assert fast == slow
    outcomes, (warnings, evidence, _) = fast
    # the sequence exercises what the check decides on: series warnings that ran on
    # unchanged, gained evidence, and ones opened later
    assert sum(o[1] for o in outcomes[1:]) and sum(o[2] for o in outcomes[1:])
    assert any(w[0].startswith("spike:heating:zhichu") for w in warnings)
    assert len(evidence) >= 3
    assert any(skipped)         # and some were skipped

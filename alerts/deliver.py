"""The sender: drains the outbox through each department's channels.

Per cycle, in order:
1. Claim (one short transaction). Due outbox rows of one department and channel become one
   batch (分组: several warnings in one message once the oldest has waited `group_wait`);
   low severities in a department's quiet hours are held until morning. Batches due for a
   retry, and batches whose sender died mid-send (lease expired), are claimed again.
   A claimed batch is `sending`, and its `next_attempt_at` is the end of its lease.
2. Send, outside any transaction, with the batch key as idempotency key.
3. Record: sent, or retry with exponential backoff, or — after `max_attempts` — failed;
   when every channel of a department failed for a warning, the duty office is told.

What "exactly once" means (see docs/alerts.md): a batch is never sent twice by two live
senders (claiming is a conditional update). Only a sender that dies between handing the
message over and recording it leaves doubt; the batch is then re-sent *with the same key*
after its lease: JSON webhooks get the same `Idempotency-Key` header, mail the same
Message-ID, so receivers that honour them see it once. Robots (WeCom, DingTalk, Feishu)
accept no such key: there, at least once, and the message names its delivery number.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from yuqing.alerts.channels import Message, send
from yuqing.alerts.fallback import tell_duty_office
from yuqing.alerts.messages import render_group
from yuqing.alerts.quiet import held_until
from yuqing.config.models import Config
from yuqing.storage.alerting import DeliveryBatch
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Delivery, Warning
from yuqing.timeutil import now

# Longer than any send can take (apprise times out in seconds), so a live sender never
# loses its claim to another; only a dead one does.
SEND_LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=1)
MAX_LANES = 8                  # channels sent to at once
_COUNT = threading.Lock()      # lanes add to one summary
# Outcomes are recorded one at a time: the duty office's fallback checks that a warning's
# other channels failed too, and must see what the other lanes just recorded.
_RECORD = threading.Lock()


@dataclass
class DeliverySummary:
    sent: int = 0          # outbox rows delivered
    failed: int = 0        # outbox rows whose send failed and will be retried
    held: int = 0          # outbox rows held for quiet hours
    gave_up: int = 0       # outbox rows given up after max_attempts
    resent: int = 0        # batches re-sent after a sender died mid-send


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    department_id: str
    channel: str
    subject: str
    body: str
    rows: int


def batch_key(delivery_keys: list[str]) -> str:
    """Deterministic: the same outbox rows always form the same key."""
    if len(delivery_keys) == 1:
        return delivery_keys[0]
    digest = hashlib.sha1("\n".join(sorted(delivery_keys)).encode()).hexdigest()[:20]
    return f"g{len(delivery_keys)}-{digest}"


def _reclaim(s, at: datetime, summary: DeliverySummary) -> list[DeliveryBatch]:
    """Batches due for a retry, and batches whose sender died (lease over)."""
    due = s.scalars(select(DeliveryBatch).where(
        DeliveryBatch.status.in_(("retry", "sending")), DeliveryBatch.next_attempt_at <= at)
        .order_by(DeliveryBatch.id)).all()
    claimed = []
    for b in due:
        got = s.execute(update(DeliveryBatch).where(
            DeliveryBatch.id == b.id, DeliveryBatch.status == b.status,
            DeliveryBatch.next_attempt_at <= at).values(
            status="sending", attempts=DeliveryBatch.attempts + 1,
            next_attempt_at=at + SEND_LEASE).execution_options(synchronize_session=False))
        if got.rowcount == 1:
            if b.status == "sending":
                summary.resent += 1
            claimed.append(b)
    return claimed


def _new_batches(s, config: Config, at: datetime, summary: DeliverySummary) -> list[DeliveryBatch]:
    rows = s.execute(select(Delivery, Warning.severity)
                     .outerjoin(Warning, Warning.id == Delivery.warning_id)
                     .where(Delivery.status == "pending", Delivery.next_attempt_at <= at)
                     .order_by(Delivery.id)).all()
    groups: dict[tuple[str, str, int], list[Delivery]] = defaultdict(list)
    for d, severity in rows:
        hold = held_until(config, d.department_id, severity, at)
        if hold is not None:
            d.next_attempt_at = hold
            summary.held += 1
            continue
        # warnings group per department and channel; a digest (no warning) goes on its own
        groups[(d.department_id, d.channel, 0 if d.warning_id else d.id)].append(d)
    wait = config.settings.delivery.group_wait
    batches = []
    for (dept_id, channel, _), members in groups.items():
        if at - min(d.created_at for d in members) < wait:
            continue          # let siblings for the same department arrive
        ids = list(s.scalars(update(Delivery).where(
            Delivery.id.in_([d.id for d in members]), Delivery.status == "pending")
            .values(status="batched").returning(Delivery.id)
            .execution_options(synchronize_session=False)))
        mine = [d for d in members if d.id in set(ids)]
        if not mine:
            continue          # another sender took them
        subject, body = render_group(config, dept_id, mine)
        batch = DeliveryBatch(key=batch_key([d.key for d in mine]), department_id=dept_id,
                              channel=channel, subject=subject, body=body,
                              delivery_ids=[d.id for d in mine], status="sending", attempts=1,
                              created_at=at, next_attempt_at=at + SEND_LEASE)
        s.add(batch)
        batches.append(batch)
    return batches


@retry_locked
def _claim(db: Database, config: Config, at: datetime, summary: DeliverySummary) -> list[Claimed]:
    with db.session() as s:
        batches = _reclaim(s, at, summary) + _new_batches(s, config, at, summary)
        s.flush()
        return [Claimed(b.id, b.key, b.department_id, b.channel, b.subject, b.body,
                        len(b.delivery_ids)) for b in batches]


def send_due(db: Database, config: Config, at: datetime | None = None) -> DeliverySummary:
    """Claimed batches go out one lane per channel, lanes side by side: a mail server that
    hangs delays only the batches waiting for it, never another department's robot or mail."""
    at = at or now()
    summary = DeliverySummary()
    lanes: dict[str, list[Claimed]] = defaultdict(list)
    for batch in _claim(db, config, at, summary):
        lanes[batch.channel].append(batch)
    if len(lanes) <= 1:
        for batches in lanes.values():
            _send_lane(db, config, batches, at, summary)
        return summary
    with ThreadPoolExecutor(max_workers=min(len(lanes), MAX_LANES)) as pool:
        for done in [pool.submit(_send_lane, db, config, batches, at, summary)
                     for batches in lanes.values()]:
            done.result()
    return summary


def _send_lane(db: Database, config: Config, batches: list[Claimed], at: datetime,
               summary: DeliverySummary) -> None:
    for batch in batches:
        message = Message(batch.key, batch.department_id, batch.subject, batch.body)
        try:
            note = send(batch.channel, message)
        except Exception as exc:  # a channel bug must not stop the other departments
            with _RECORD:
                _failed(db, config, batch, str(exc) or type(exc).__name__, at, summary)
        else:
            with _RECORD:
                _sent(db, batch, note, at)
            with _COUNT:
                summary.sent += batch.rows


@retry_locked
def _sent(db: Database, batch: Claimed, note: str, at: datetime) -> None:
    with db.session() as s:
        b = s.get(DeliveryBatch, batch.id)
        b.status, b.sent_at, b.note = "sent", at, note
        s.execute(update(Delivery).where(Delivery.id.in_(b.delivery_ids))
                  .values(status="sent", sent_at=at, last_error=note)
                  .execution_options(synchronize_session=False))


@retry_locked
def _failed(db: Database, config: Config, batch: Claimed, error: str, at: datetime,
            summary: DeliverySummary) -> None:
    settings = config.settings.delivery
    with db.session() as s:
        b = s.get(DeliveryBatch, batch.id)
        b.last_error = error
        rows = s.scalars(select(Delivery).where(Delivery.id.in_(b.delivery_ids))).all()
        for row in rows:
            row.last_error, row.attempts = error, b.attempts
        if b.attempts >= settings.max_attempts:
            b.status = "failed"
            for row in rows:
                row.status = "failed"
            s.flush()
            with _COUNT:
                summary.gave_up += len(rows)
            for row in rows:
                tell_duty_office(s, config, row, at)
        else:
            b.status = "retry"
            b.next_attempt_at = at + min(settings.retry_base * (2 ** (b.attempts - 1)), MAX_BACKOFF)
            with _COUNT:
                summary.failed += len(rows)

"""The sender: drains the outbox through each department's channels.

Grouping: deliveries for one department and channel that are due together go out as one
message. Quiet hours hold low severities until morning. A failed send is retried with
exponential backoff; when all of a department's channels have given up, the duty office
is told. A row is claimed (status 'sending', committed) before the send, so two senders
never send it twice; a crash mid-send leaves it 'sending' and it is retried with the same
key, which file channels and receivers can deduplicate on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from alerts.channels import ChannelError, Message, send
from config.models import Config
from config.types import severity_rank
from storage.db import Database, retry_locked
from storage.models import Delivery, Warning
from yuqing.timeutil import local, now

STALE_SENDING = timedelta(minutes=10)


@dataclass
class DeliverySummary:
    sent: int = 0
    failed: int = 0
    held: int = 0
    gave_up: int = 0


def in_quiet_hours(config: Config, at: datetime) -> bool:
    d = config.settings.delivery
    t = local(at).time()
    if d.quiet_start <= d.quiet_end:
        return d.quiet_start <= t < d.quiet_end
    return t >= d.quiet_start or t < d.quiet_end


def quiet_end(config: Config, at: datetime) -> datetime:
    end = config.settings.delivery.quiet_end
    morning = local(at).replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return morning if morning > local(at) else morning + timedelta(days=1)


@retry_locked
def _claim(db: Database, config: Config, at: datetime, summary: DeliverySummary) -> list[Delivery]:
    wait = config.settings.delivery.group_wait
    with db.session() as s:
        s.execute(update(Delivery).where(Delivery.status == "sending",
                                         Delivery.next_attempt_at < at - STALE_SENDING)
                  .values(status="pending"))
        due = s.scalars(select(Delivery).where(Delivery.status == "pending",
                                               Delivery.next_attempt_at <= at)
                        .order_by(Delivery.id)).all()
        claimed = []
        hold_below = severity_rank(config.settings.delivery.quiet_hold_below)
        for d in due:
            warning = s.get(Warning, d.warning_id) if d.warning_id else None
            if warning and in_quiet_hours(config, at) and severity_rank(warning.severity) < hold_below:
                d.next_attempt_at = quiet_end(config, at)
                summary.held += 1
                continue
            if at - d.created_at < wait and d.attempts == 0:
                continue              # let siblings for the same department arrive
            result = s.execute(update(Delivery).where(Delivery.id == d.id,
                                                      Delivery.status == "pending")
                               .values(status="sending", attempts=Delivery.attempts + 1,
                                       next_attempt_at=at))
            if result.rowcount == 1:
                claimed.append(d)
        for d in claimed:
            s.refresh(d)
            s.expunge(d)
        return claimed


def send_due(db: Database, config: Config, at: datetime | None = None) -> DeliverySummary:
    at = at or now()
    summary = DeliverySummary()
    groups: dict[tuple[str, str], list[Delivery]] = defaultdict(list)
    for d in _claim(db, config, at, summary):
        groups[(d.department_id, d.channel)].append(d)
    for (dept_id, channel), rows in groups.items():
        message = _combine(dept_id, rows)
        try:
            note = send(channel, message)
        except ChannelError as exc:
            _failed(db, config, rows, str(exc), at, summary)
        except Exception as exc:  # a channel bug must not stop the other departments
            _failed(db, config, rows, f"{type(exc).__name__}: {exc}", at, summary)
        else:
            _sent(db, rows, note, at)
            summary.sent += len(rows)
    return summary


def _combine(dept_id: str, rows: list[Delivery]) -> Message:
    if len(rows) == 1:
        return Message(rows[0].key, dept_id, rows[0].subject, rows[0].body)
    subject = f"【舆情预警】共 {len(rows)} 条：" + "；".join(r.subject.split("】", 1)[-1] for r in rows[:3])
    body = "\n\n---\n\n".join(r.body for r in rows)
    return Message("+".join(r.key for r in rows), dept_id, subject, body)


@retry_locked
def _sent(db: Database, rows: list[Delivery], note: str, at: datetime) -> None:
    with db.session() as s:
        for row in rows:
            s.execute(update(Delivery).where(Delivery.id == row.id)
                      .values(status="sent", sent_at=at, last_error=note))


@retry_locked
def _failed(db: Database, config: Config, rows: list[Delivery], error: str, at: datetime,
            summary: DeliverySummary) -> None:
    d = config.settings.delivery
    with db.session() as s:
        for row in rows:
            fresh = s.get(Delivery, row.id)
            fresh.last_error = error
            if fresh.attempts >= d.max_attempts:
                fresh.status = "failed"
                summary.gave_up += 1
                _fallback(s, config, fresh, at)
            else:
                fresh.status = "pending"
                fresh.next_attempt_at = at + d.retry_base * (2 ** (fresh.attempts - 1))
                summary.failed += 1


def _fallback(s, config: Config, failed: Delivery, at: datetime) -> None:
    """When every channel of a department has given up, the duty office must know."""
    siblings = s.scalars(select(Delivery).where(
        Delivery.warning_id == failed.warning_id, Delivery.department_id == failed.department_id,
        Delivery.key.like(failed.key.rsplit(":", 1)[0] + ":%"))).all()
    if any(x.status != "failed" for x in siblings):
        return
    duty = config.department(config.routing.duty_office)
    dept = config.department(failed.department_id).name
    if failed.department_id == duty.id:
        return
    for index, channel in enumerate(duty.channels or ["dryrun://"]):
        key = f"fallback:{failed.key}:{index}"
        if s.scalar(select(Delivery.id).where(Delivery.key == key)):
            continue
        s.add(Delivery(key=key, warning_id=failed.warning_id, department_id=duty.id,
                       channel=channel, subject=f"【投递失败】{dept}未能收到：{failed.subject}",
                       body=(f"向{dept}的所有通知渠道投递均失败（最后错误：{failed.last_error}）。"
                             f"请值班人员电话通知该单位。\n\n原通知如下：\n\n{failed.body}"),
                       created_at=at, next_attempt_at=at))

"""Send the duty digest to the duty office through the same outbox as warnings.

One digest per shift slot: the outbox key names the slot (the latest configured digest time
at or before the build), so a rerun after a crash cannot send the same shift twice, and
retries, backoff and the channel failure fallback are those of every other delivery.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from yuqing.config.models import Config
from yuqing.reports.digest import Digest
from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Delivery
from yuqing.timeutil import local


def shift_slot(config: Config, at: datetime) -> datetime:
    """The digest time this build belongs to (08:00 / 18:00 …), in Asia/Shanghai."""
    here = local(at)
    times = sorted(config.settings.schedules.digest_times) or [here.time().replace(second=0, microsecond=0)]
    for day in (0, 1):
        date = (here - timedelta(days=day)).date()
        for t in reversed(times):
            slot = here.replace(year=date.year, month=date.month, day=date.day, hour=t.hour,
                                minute=t.minute, second=0, microsecond=0)
            if slot <= here:
                return slot
    return here


@retry_locked
def queue_digest(db: Database, config: Config, digest: Digest) -> int:
    """Queue the digest for every channel of the duty office; returns rows added (0 if queued already)."""
    slot = shift_slot(config, digest.until)
    duty = config.department(config.routing.duty_office)
    subject = f"【值班摘要】{config.settings.district}舆情 {slot:%Y-%m-%d %H:%M}（新增预警 {len(digest.new)} 条）"
    body = digest.markdown()
    added = 0
    with db.session() as s:
        for index, channel in enumerate(duty.channels or ["dryrun://"]):
            key = f"digest:{slot:%Y%m%dT%H%M}:{duty.id}:{index}"
            if s.scalar(select(Delivery.id).where(Delivery.key == key)):
                continue
            s.add(Delivery(key=key, warning_id=None, department_id=duty.id, channel=channel,
                           subject=subject, body=body, created_at=digest.until,
                           next_attempt_at=digest.until))
            added += 1
    return added

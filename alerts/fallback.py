"""When every channel of a department failed for a warning, the duty office must know
(投递失败转值班室), so someone can phone the department."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuqing.alerts.channels import redact
from yuqing.alerts.messages import render_fallback
from yuqing.config.models import Config
from yuqing.storage.models import Delivery


def tell_duty_office(s: Session, config: Config, failed: Delivery, at: datetime) -> int:
    """Queue the duty office's notice once all siblings (same warning revision and
    department, other channels) have failed too. Returns the rows queued."""
    duty = config.department(config.routing.duty_office)
    if not failed.key.startswith("w") or failed.department_id == duty.id:
        return 0              # notices and forwards have no further fallback
    prefix = failed.key.rsplit(":", 1)[0] + ":"
    siblings = s.scalars(select(Delivery).where(Delivery.key.startswith(prefix, autoescape=True))).all()
    if any(x.status != "failed" for x in siblings):
        return 0
    errors = "；".join(f"{redact(x.channel)}：{x.last_error}" for x in siblings)
    subject, body = render_fallback(config, failed, errors)
    queued = 0
    for index, channel in enumerate(duty.channels or ["dryrun://"]):
        key = f"fallback:{prefix}{index}"
        if s.scalar(select(Delivery.id).where(Delivery.key == key)):
            continue
        s.add(Delivery(key=key, warning_id=failed.warning_id, department_id=duty.id,
                       channel=channel, subject=subject, body=body, created_at=at,
                       next_attempt_at=at))
        queued += 1
    s.flush()
    return queued

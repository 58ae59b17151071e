"""Short notices about a duty change (退回、改派、留言板答复): to a department, through the outbox.

Unlike the warning notice (outbox.notify), these carry one sentence and a link; a department
without channels is told through the duty office, like every other notice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuqing.config.models import Config
from yuqing.storage.models import Delivery, Warning
from yuqing.signing import warning_link


def tell(s: Session, config: Config, warning: Warning, department_id: str, key: str,
         subject: str, text: str, at: datetime) -> int:
    """Queue `text` for one department, once per `key`. Returns the rows queued."""
    dept = config.department(department_id)
    duty = config.department(config.routing.duty_office)
    link = warning_link(config.settings.delivery.dashboard_url, warning.id, department_id)
    body = f"{text}\n\n预警 #{warning.id}【{warning.severity}】{warning.title}\n查看：{link}\n"
    targets = [(dept.id, i, c) for i, c in enumerate(dept.channels)]
    if not targets:
        subject = f"【请转{dept.name}】{subject}"
        body = f"{dept.name}未配置通知渠道，请值班人员转告。\n\n{body}"
        targets = [(duty.id, f"via{i}", c) for i, c in enumerate(duty.channels or ["dryrun://"])]
    queued = 0
    for target, index, channel in targets:
        full = f"t{warning.id}:{key}:{department_id}:{index}"
        if s.scalar(select(Delivery.id).where(Delivery.key == full)):
            continue
        s.add(Delivery(key=full, warning_id=warning.id, department_id=target, channel=channel,
                       subject=subject, body=body, created_at=at, next_attempt_at=at))
        queued += 1
    s.flush()
    return queued

"""Warnings and their outbox rows, written in one transaction.

Either the warning change and every delivery it causes are stored together, or none is:
a crash between them can neither lose a notification nor invent one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.messages import render_warning
from alerts.route import RouteQuery, route
from config.models import Config
from config.types import severity_rank
from storage.db import Database
from storage.models import Assignment, Delivery, Mention, Warning, WarningEvent, WarningEvidence

if TYPE_CHECKING:
    from alerts.detect import Finding


def record(s: Session, warning: Warning, actor: str, action: str, detail: str = "") -> None:
    s.add(WarningEvent(warning_id=warning.id, actor=actor, action=action, detail=detail))


def set_deadlines(config: Config, warning: Warning, start: datetime) -> None:
    deadline = config.settings.response.deadlines[warning.severity]
    warning.acknowledge_by = start + deadline.acknowledge
    warning.respond_by = start + deadline.respond
    warning.press_conference_by = start + deadline.press_conference if deadline.press_conference else None


def _active(s: Session, finding: Finding) -> Warning | None:
    if finding.kind != "spike":
        return s.scalar(select(Warning).where(Warning.key == finding.key))
    return s.scalar(select(Warning).where(Warning.key.like(f"{finding.key}@%"),
                                          Warning.subsided_at.is_(None))
                    .order_by(Warning.id.desc()).limit(1))


def open_or_update(db: Database, config: Config, finding: Finding, at: datetime) -> str:
    with db.session() as s:
        warning = _active(s, finding)
        if warning is None:
            warning = _open(s, config, finding, at)
            notify(s, config, warning, at)
            return "opened"
        return _update(s, config, warning, finding, at)


def _open(s: Session, config: Config, finding: Finding, at: datetime) -> Warning:
    key = finding.key if finding.kind != "spike" else f"{finding.key}@{at:%Y%m%dT%H%M}"
    warning = Warning(key=key, kind=finding.kind, topic_id=finding.topic_id,
                      place_id=finding.place_id, severity=finding.severity, title=finding.title,
                      summary=finding.summary, count=finding.count, baseline=finding.baseline,
                      opened_at=at, updated_at=at)
    set_deadlines(config, warning, at)
    s.add(warning)
    s.flush()
    _add_evidence(s, warning, finding.mention_ids)
    sources = s.execute(select(Mention.source_id).where(Mention.id.in_(finding.mention_ids))).scalars()
    source_ids = tuple(sorted(set(sources)))
    kinds = tuple(sorted({config.source(i).kind for i in source_ids
                          if any(src.id == i for src in config.sources)}))
    query = RouteQuery(finding.topic_id, finding.place_id, finding.severity, kinds, source_ids)
    for recipient in route(config, query):
        s.add(Assignment(warning_id=warning.id, department_id=recipient.department_id,
                         role=recipient.role, reason=recipient.reason))
    s.flush()
    record(s, warning, "系统", "开启", f"{finding.severity}：{finding.summary}")
    return warning


def _add_evidence(s: Session, warning: Warning, mention_ids) -> int:
    have = set(s.scalars(select(WarningEvidence.mention_id)
                         .where(WarningEvidence.warning_id == warning.id)))
    new = [m for m in mention_ids if m not in have]
    for mention_id in new:
        s.add(WarningEvidence(warning_id=warning.id, mention_id=mention_id))
    s.flush()
    return len(new)


def _update(s: Session, config: Config, warning: Warning, finding: Finding, at: datetime) -> str:
    added = _add_evidence(s, warning, finding.mention_ids)
    higher = severity_rank(finding.severity) > severity_rank(warning.severity)
    if not added and not higher:
        return "unchanged"
    warning.updated_at, warning.count, warning.summary = at, finding.count, finding.summary
    warning.revision += 1
    if higher:
        record(s, warning, "系统", "升级", f"{warning.severity} → {finding.severity}")
        warning.severity, warning.title = finding.severity, finding.title
        set_deadlines(config, warning, warning.opened_at)
        if warning.status == "closed":
            warning.status, warning.closed_at = "open", None
            record(s, warning, "系统", "重新打开", "已关闭的预警再次升级")
        notify(s, config, warning, at)
    else:
        record(s, warning, "系统", "新增证据", f"新增 {added} 条相关信息")
        last = max((d.created_at for d in _deliveries(s, warning)), default=None)
        if last is None or at - last >= config.settings.delivery.repeat_interval:
            notify(s, config, warning, at)
    return "updated"


def _deliveries(s: Session, warning: Warning) -> list[Delivery]:
    return list(s.scalars(select(Delivery).where(Delivery.warning_id == warning.id)))


def notify(s: Session, config: Config, warning: Warning, at: datetime,
           departments: list[str] | None = None) -> int:
    """Queue one delivery per channel of each receiving department, for this revision."""
    count = 0
    for assignment in warning.assignments:
        dept_id = assignment.department_id
        if not assignment.active or (departments and dept_id not in departments):
            continue
        dept = config.department(dept_id)
        subject, body = render_warning(s, config, warning, assignment)
        channels = dept.channels or ["dryrun://"]
        for index, channel in enumerate(channels):
            key = f"w{warning.id}:r{warning.revision}:{dept_id}:{index}"
            if s.scalar(select(Delivery.id).where(Delivery.key == key)):
                continue
            s.add(Delivery(key=key, warning_id=warning.id, department_id=dept_id,
                           channel=channel, subject=subject, body=body, created_at=at,
                           next_attempt_at=at))
            count += 1
    return count

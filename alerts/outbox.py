"""Warnings and their outbox rows, written in one transaction.

Either the warning change and every delivery it causes are stored together, or none is:
a crash between them can neither lose a notification nor invent one.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from yuqing.alerts.duties import refresh, reclock, start_duty
from yuqing.alerts.event_link import same_event_warning
from yuqing.alerts.messages import render_warning, warning_facts
from yuqing.alerts.route import RouteQuery, route
from yuqing.config.models import Config
from yuqing.config.types import severity_rank
from yuqing.storage.db import Database
from yuqing.storage.models import Assignment, Delivery, Mention, Warning, WarningEvent, WarningEvidence
from yuqing.timeutil import now

if TYPE_CHECKING:
    from yuqing.alerts.rules import Finding


def record(s: Session, warning: Warning, actor: str, action: str, detail: str = "",
           at: datetime | None = None) -> None:
    """The audit trail: who did what, and when (the simulated time in simulations)."""
    s.add(WarningEvent(warning_id=warning.id, actor=actor, action=action, detail=detail,
                       at=at or now()))


def set_deadlines(config: Config, warning: Warning, start: datetime) -> None:
    deadline = config.settings.response.deadlines[warning.severity]
    warning.acknowledge_by = start + deadline.acknowledge
    warning.respond_by = start + deadline.respond
    warning.press_conference_by = start + deadline.press_conference if deadline.press_conference else None


# Series warnings come in episodes (`key#n`): once one subsided, a new rise opens the next.
EPISODIC = ("spike", "trend")


def _latest(s: Session, finding: Finding) -> Warning | None:
    if finding.kind not in EPISODIC:
        return s.scalar(select(Warning).where(Warning.key == finding.key))
    # by the indexed topic, not LIKE on the key (SQLite's LIKE cannot use the key's index)
    place = Warning.place_id.is_(None) if finding.place_id is None else Warning.place_id == finding.place_id
    topic = Warning.topic_id.is_(None) if finding.topic_id is None else Warning.topic_id == finding.topic_id
    return s.scalar(select(Warning).where(Warning.kind == finding.kind, topic, place)
                    .order_by(Warning.id.desc()).limit(1))


def open_or_update(db: Database, config: Config, finding: Finding, at: datetime) -> str:
    """Open a warning for a new finding, or update the running one with the same key.

    A spike's key is `spike:<topic>:<place>#<n>`: the n-th episode of that series. Two
    detectors racing compute the same key, the unique constraint rejects the second, and
    its retry finds the warning and updates it instead.
    """
    for attempt in (1, 2):
        try:
            with db.session() as s:
                warning = _latest(s, finding)
                same = same_event_warning(s, finding, warning, at)   # one event, one warning
                if same is not None:
                    return _update(s, config, same, finding, at)
                episodic = finding.kind in EPISODIC
                if warning is not None and not (episodic and warning.subsided_at):
                    return _update(s, config, warning, finding, at)
                episode = int(warning.key.rsplit("#", 1)[1]) + 1 if warning is not None else 1
                key = f"{finding.key}#{episode}" if episodic else finding.key
                warning = _open(s, config, finding, key, at)
                notify(s, config, warning, at)
                return "opened"
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _route_query(s: Session, config: Config, warning: Warning) -> RouteQuery:
    sources = s.scalars(select(Mention.source_id).join(
        WarningEvidence, WarningEvidence.mention_id == Mention.id)
        .where(WarningEvidence.warning_id == warning.id).distinct())
    known = {src.id: src for src in config.sources}
    source_ids = tuple(sorted(set(sources)))
    kinds = tuple(sorted({known[i].kind for i in source_ids if i in known}))
    handler, reason = (None, "") if warning.place_id else _handler_place(s, config, warning)
    return RouteQuery(warning.topic_id, warning.place_id, warning.severity, kinds, source_ids,
                      kind=warning.kind, handler_place=handler, handler_reason=reason)


def _handler_place(s: Session, config: Config, warning: Warning) -> tuple[str | None, str]:
    """The street most of a district-wide series warning's items name, when one does: a slow
    burn in one street whose posts mostly name no street still warns district-wide, and the
    street must hear of it (谁处置谁回应)."""
    if warning.kind not in EPISODIC:
        return None, ""
    places = Counter(s.scalars(select(Mention.place_id).join(
        WarningEvidence, WarningEvidence.mention_id == Mention.id)
        .where(WarningEvidence.warning_id == warning.id, Mention.place_id.is_not(None))))
    if not places:
        return None, ""
    (top, n), *rest = places.most_common(2)
    named = sum(places.values())
    known = {p.id for p in config.places}
    if (top not in known or n < 2 or (rest and rest[0][1] == n)
            or n < config.settings.detection.district_handler_share * named):
        return None, ""
    return top, f"全区预警中点明街道的信息集中在{config.place(top).name}（{n}/{named}条）"


def assign(s: Session, config: Config, warning: Warning, at: datetime | None = None) -> list[str]:
    """Route the warning; add departments it does not have yet, each with its own clocks."""
    have = {a.department_id for a in warning.assignments}
    added = []
    for r in route(config, _route_query(s, config, warning)):
        if r.department_id not in have:
            duty = Assignment(warning_id=warning.id, department_id=r.department_id,
                              role=r.role, reason=r.reason, state="open", active=True)
            start_duty(config, warning, duty, at or warning.opened_at)
            warning.assignments.append(duty)
            added.append(r.department_id)
    refresh(warning)
    s.flush()
    return added


def _open(s: Session, config: Config, finding: Finding, key: str, at: datetime) -> Warning:
    warning = Warning(key=key, kind=finding.kind, topic_id=finding.topic_id,
                      place_id=finding.place_id, severity=finding.severity, title=finding.title,
                      summary=finding.summary, count=finding.count, baseline=finding.baseline,
                      opened_at=at, updated_at=at)
    set_deadlines(config, warning, at)
    s.add(warning)
    s.flush()
    _add_evidence(s, warning, finding.mention_ids)
    assign(s, config, warning, at)
    record(s, warning, "系统", "开启", f"{finding.severity}：{finding.summary}", at)
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
    warning.updated_at = at
    if severity_rank(finding.severity) >= severity_rank(warning.severity):
        # the text says why the warning has its grade: a grade is never lowered, so a
        # finding below it (the spike easing) adds evidence but keeps the reason for the grade
        warning.summary = finding.summary
    warning.count = max(warning.count, finding.count)
    warning.revision += 1
    if higher:
        record(s, warning, "系统", "升级", f"{warning.severity} → {finding.severity}", at)
        warning.severity, warning.title = finding.severity, finding.title
        set_deadlines(config, warning, warning.opened_at)
        reclock(config, warning)
        if warning.status == "closed":
            warning.closed_at = None
            record(s, warning, "系统", "重新打开", "已关闭的预警再次升级", at)
        new = assign(s, config, warning, at)  # a higher level may reach more departments
        if new:
            record(s, warning, "系统", "增加接收单位",
                   "、".join(config.department(d).name for d in new), at)
        notify(s, config, warning, at)
        return "updated"
    record(s, warning, "系统", "新增证据", f"新增 {added} 条相关信息", at)
    if warning.status == "closed":
        return "updated"
    if warning.place_id is None and warning.kind in EPISODIC:
        # a district-wide slow burn opens on its first few posts, often naming no street; as
        # it grows, the street most of it names becomes its 处置 (added, never taken away)
        new = assign(s, config, warning, at)
        if new:
            record(s, warning, "系统", "增加接收单位", "、".join(config.department(d).name for d in new), at)
            notify(s, config, warning, at, departments=new)
    # new evidence alone is announced at most once per repeat interval
    last = s.scalar(select(func.max(Delivery.created_at)).where(Delivery.warning_id == warning.id,
                                                                 Delivery.key.startswith("w")))
    if last is None or at - last >= config.settings.delivery.repeat_interval:
        notify(s, config, warning, at)
    return "updated"


def notify(s: Session, config: Config, warning: Warning, at: datetime,
           departments: list[str] | None = None) -> int:
    """Queue one delivery per channel of each receiving department, for this revision.

    A department without channels is never silently skipped: the duty office gets the
    message with a note to pass it on (代转).
    """
    count = 0
    duty = config.department(config.routing.duty_office)
    facts = None
    for assignment in warning.assignments:
        dept_id = assignment.department_id
        if not assignment.active or assignment.state == "returned" \
                or (departments and dept_id not in departments):
            continue
        dept = config.department(dept_id)
        facts = facts or warning_facts(s, config, warning)
        subject, body = render_warning(s, config, warning, assignment, facts)
        targets = [(dept_id, i, c) for i, c in enumerate(dept.channels)]
        if not targets:
            subject = f"【请转{dept.name}】{subject}"
            body = f"{dept.name}未配置通知渠道，请值班人员转告。\n\n{body}"
            targets = [(duty.id, f"via{i}", c) for i, c in enumerate(duty.channels or ["dryrun://"])]
        for target, index, channel in targets:
            key = f"w{warning.id}:r{warning.revision}:{dept_id}:{index}"
            if s.scalar(select(Delivery.id).where(Delivery.key == key)):
                continue
            s.add(Delivery(key=key, warning_id=warning.id, department_id=target,
                           channel=channel, subject=subject, body=body, created_at=at,
                           next_attempt_at=at))
            count += 1
    s.flush()
    return count

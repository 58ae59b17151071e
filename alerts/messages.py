"""Chinese message texts, from templates in alerts/templates/."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yuqing.alerts.duties import INFORMED_ROLES, ROLE_TASKS, duty_line
from yuqing.analysis.privacy import mask
from yuqing.analysis.speakers import Speakers
from yuqing.config.models import Config
from yuqing.storage.models import Assignment, Mention, Warning, WarningEvidence
from yuqing.safetext import one_line, visible
from yuqing.signing import warning_link
from yuqing.timeutil import fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
EVIDENCE_SHOWN = 8
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_env.filters["fmt"] = fmt
_env.filters["mask"] = mask
# in a grouped subject, each item without the repeated 【舆情预警·级别】 tag
_env.filters["short"] = lambda subject: re.sub(r"【舆情预警·[^】]*】", "", subject, count=1)


def evidence(s: Session, warning: Warning, limit: int | None = EVIDENCE_SHOWN) -> list[Mention]:
    query = (select(Mention).join(WarningEvidence, WarningEvidence.mention_id == Mention.id)
             .where(WarningEvidence.warning_id == warning.id)
             .order_by(Mention.published_at.desc().nulls_last(), Mention.id.desc()))
    return list(s.scalars(query.limit(limit) if limit else query))


def evidence_count(s: Session, warning: Warning) -> int:
    return s.scalar(select(func.count()).select_from(WarningEvidence)
                    .where(WarningEvidence.warning_id == warning.id)) or 0


def warning_facts(s: Session, config: Config, warning: Warning) -> dict:
    """What every receiver's message about this warning shares: read once per notification."""
    return {
        "w": warning,
        "topic": config.topic(warning.topic_id).name if warning.topic_id else "未归类",
        "place": config.place(warning.place_id).name if warning.place_id else "全区",
        "evidence": evidence(s, warning), "total": evidence_count(s, warning),
        "source_names": {src.id: src.name for src in config.sources},
        "speaker": Speakers(config),
    }


def render_warning(s: Session, config: Config, warning: Warning, assignment: Assignment,
                   facts: dict | None = None) -> tuple[str, str]:
    from yuqing.alerts.phonelinks import action_link

    dept_names = {d.id: d.name for d in config.departments}
    base = config.settings.delivery.dashboard_url
    context = {
        **(facts or warning_facts(s, config, warning)),
        "a": assignment, "dept": dept_names[assignment.department_id],
        "duty_line": duty_line(assignment, warning.updated_at),
        "duty": ROLE_TASKS.get(assignment.role, ""),
        "informed": assignment.role in INFORMED_ROLES,
        "others": [(dept_names[x.department_id], x.role) for x in warning.assignments
                   if x.active and x.department_id != assignment.department_id
                   and x.state != "returned"],
        "link": warning_link(base, warning.id, assignment.department_id),
        "phone_link": action_link(base, assignment) if assignment.link_nonce else "",
    }
    subject = _subject(_env.get_template("warning_subject.j2").render(context))
    return subject, _body(_env.get_template("warning.txt.j2").render(context))


def render_group(config: Config, dept_id: str, rows) -> tuple[str, str]:
    """One message for several outbox rows of one department (grouping)."""
    context = {"rows": rows, "dept": _dept_name(config, dept_id)}
    subject = _subject(_env.get_template("group_subject.j2").render(context))
    return subject, _body(_env.get_template("group.txt.j2").render(context))


def render_fallback(config: Config, failed, errors: str) -> tuple[str, str]:
    context = {"row": failed, "dept": _dept_name(config, failed.department_id), "errors": errors}
    subject = _subject(_env.get_template("fallback_subject.j2").render(context))
    return subject, _body(_env.get_template("fallback.txt.j2").render(context))


def _subject(text: str) -> str:
    """Crawled titles reach subjects: one line, masked, so no channel chokes on it."""
    return one_line(mask(text), 400)


def _body(text: str) -> str:
    return visible(mask(text))


def _dept_name(config: Config, dept_id: str) -> str:
    return next((d.name for d in config.departments if d.id == dept_id), dept_id)

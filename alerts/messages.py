"""Chinese message texts, from templates in alerts/templates/."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yuqing.analysis.privacy import mask
from yuqing.analysis.speakers import Speakers
from yuqing.config.models import Config
from yuqing.storage.models import Assignment, Mention, Warning, WarningEvidence
from yuqing.signing import warning_link
from yuqing.timeutil import fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
EVIDENCE_SHOWN = 8
# What each duty asks of the receiving department (谁主管谁回应、谁处置谁回应).
DUTIES = {
    "主管": "负责政策解释和权威信息发布，按时限公开回应",
    "处置": "负责属地现场核实处置，并就处置情况回应",
    "协调": "负责统筹协调各责任单位，督促按时回应",
    "值班": "请确定责任单位并改派",
    "上报": "责任单位未按时签收，请督办",
    "抄送": "请知悉，必要时配合回应",
}
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
    dept_names = {d.id: d.name for d in config.departments}
    context = {
        **(facts or warning_facts(s, config, warning)),
        "a": assignment, "dept": dept_names[assignment.department_id],
        "duty": DUTIES.get(assignment.role, ""),
        "others": [(dept_names[x.department_id], x.role) for x in warning.assignments
                   if x.active and x.department_id != assignment.department_id],
        "link": warning_link(config.settings.delivery.dashboard_url, warning.id,
                             assignment.department_id),
    }
    subject = _env.get_template("warning_subject.j2").render(context).strip()
    return subject, _env.get_template("warning.txt.j2").render(context)


def render_group(config: Config, dept_id: str, rows) -> tuple[str, str]:
    """One message for several outbox rows of one department (grouping)."""
    context = {"rows": rows, "dept": _dept_name(config, dept_id)}
    subject = _env.get_template("group_subject.j2").render(context).strip()
    return subject, _env.get_template("group.txt.j2").render(context)


def render_fallback(config: Config, failed, errors: str) -> tuple[str, str]:
    context = {"row": failed, "dept": _dept_name(config, failed.department_id), "errors": errors}
    subject = _env.get_template("fallback_subject.j2").render(context).strip()
    return subject, _env.get_template("fallback.txt.j2").render(context)


def _dept_name(config: Config, dept_id: str) -> str:
    return next((d.name for d in config.departments if d.id == dept_id), dept_id)

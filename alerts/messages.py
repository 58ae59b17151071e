"""Chinese message texts, from templates in alerts/templates/."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.privacy import mask
from config.models import Config
from storage.models import Assignment, Mention, Warning, WarningEvidence
from yuqing.signing import warning_link
from yuqing.timeutil import fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
EVIDENCE_SHOWN = 8
_env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_env.filters["fmt"] = fmt
_env.filters["mask"] = mask


def evidence(s: Session, warning: Warning, limit: int | None = EVIDENCE_SHOWN) -> list[Mention]:
    query = (select(Mention).join(WarningEvidence, WarningEvidence.mention_id == Mention.id)
             .where(WarningEvidence.warning_id == warning.id)
             .order_by(Mention.published_at.desc().nulls_last(), Mention.id.desc()))
    return list(s.scalars(query.limit(limit) if limit else query))


def evidence_count(s: Session, warning: Warning) -> int:
    return len(list(s.scalars(select(WarningEvidence.mention_id)
                              .where(WarningEvidence.warning_id == warning.id))))


def render_warning(s: Session, config: Config, warning: Warning,
                   assignment: Assignment) -> tuple[str, str]:
    dept_names = {d.id: d.name for d in config.departments}
    source_names = {src.id: src.name for src in config.sources}
    context = {
        "w": warning, "a": assignment, "dept": dept_names[assignment.department_id],
        "topic": config.topic(warning.topic_id).name if warning.topic_id else "未归类",
        "place": config.place(warning.place_id).name if warning.place_id else "全区",
        "others": [(dept_names[x.department_id], x.role) for x in warning.assignments
                   if x.active and x.department_id != assignment.department_id],
        "evidence": evidence(s, warning), "total": evidence_count(s, warning),
        "source_names": source_names,
        "link": warning_link(config.settings.delivery.dashboard_url, warning.id,
                             assignment.department_id),
    }
    subject = _env.get_template("warning_subject.j2").render(context).strip()
    return subject, _env.get_template("warning.txt.j2").render(context)

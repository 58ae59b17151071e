"""Who may see a warning: duty officers all; a department only what it holds (active assignment).

A signed link from a message (`/warnings/<id>?t=<token>`) opens that warning read-only for
whoever holds it, as long as the department it was sent to still holds the warning — a
reassigned warning's old links stop working. Acting always needs a login.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from yuqing.config.models import Config
from yuqing.storage.models import Assignment, Warning
from yuqing.web.auth import Viewer
from yuqing.signing import verify_warning


def holds(warning: Warning, department_id: str | None) -> bool:
    return any(a.department_id == department_id and a.active for a in warning.assignments)


def can_view(viewer: Viewer | None, warning: Warning) -> bool:
    if viewer is None:
        return False
    return viewer.sees_all or holds(warning, viewer.department_id)


def visible(query: Select, viewer: Viewer) -> Select:
    if viewer.sees_all:
        return query
    held = select(Assignment.warning_id).where(Assignment.department_id == viewer.department_id,
                                               Assignment.active.is_(True))
    return query.where(Warning.id.in_(held))


def link_department(config: Config, warning: Warning, token: str | None) -> str | None:
    """The department a valid signed link for this warning was sent to, else None."""
    if not token:
        return None
    verified = verify_warning(token)
    if verified is None or verified[0] != warning.id:
        return None
    department_id = verified[1]
    if department_id == config.routing.duty_office or holds(warning, department_id):
        return department_id
    return None

"""Responsibility routing: 谁主管谁回应、谁处置谁回应.

A tree in the spirit of Alertmanager's: children are tried in order, the first match wins
unless it says `continue`; where no child matches, the parent's receivers apply. The
special receivers `owner` (the topic's 主管 department) and `handler` (the place's 处置
department) expand per warning; a matter involving several departments gets the duty
office as coordinator, and a warning nobody owns goes to the duty office.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.models import Config, Route

ROLE_ORDER = ("主管", "处置", "协调", "上报", "抄送", "值班")


@dataclass(frozen=True)
class RouteQuery:
    topic_id: str | None
    place_id: str | None
    severity: str
    source_kinds: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    department_id: str
    role: str
    reason: str


def _matches(route: Route, q: RouteQuery) -> bool:
    m = route.match
    checks = [
        (m.topic, [q.topic_id] if q.topic_id else []),
        (m.place, [q.place_id] if q.place_id else []),
        (m.severity, [q.severity]),
        (m.source_kind, list(q.source_kinds)),
        (m.source, list(q.source_ids)),
    ]
    return all(not wanted or set(wanted) & set(have) for wanted, have in checks)


def _walk(routes: list[Route], q: RouteQuery, path: str) -> list[tuple[list[str], str]]:
    """Receivers of the matching routes, each with the path that explains the choice."""
    chosen = []
    for i, route in enumerate(routes):
        if not _matches(route, q):
            continue
        here = f"{path}.routes[{i}]"
        deeper = _walk(route.routes, q, here)
        chosen += deeper or [(route.receivers, here)]
        if not route.continue_:
            break
    return chosen


def route(config: Config, q: RouteQuery) -> list[Recipient]:
    routing = config.routing
    chosen = _walk(routing.routes, q, "routing") or [(routing.receivers, "routing（默认）")]
    found: dict[str, Recipient] = {}

    def add(dept: str, role: str, reason: str) -> None:
        old = found.get(dept)
        if old is None or ROLE_ORDER.index(role) < ROLE_ORDER.index(old.role):
            found[dept] = Recipient(dept, role, reason)

    for receivers, path in chosen:
        for receiver in receivers:
            if receiver == "owner" and q.topic_id:
                topic = config.topic(q.topic_id)
                add(topic.owner, "主管", f"{topic.name}的主管部门（{path}）")
                for co in topic.co_owners:
                    add(co, "主管", f"{topic.name}的共同主管部门（{path}）")
            elif receiver == "handler" and q.place_id:
                place = config.place(q.place_id)
                add(place.handler, "处置", f"{place.name}的属地处置部门（{path}）")
            elif receiver not in ("owner", "handler"):
                role = "协调" if receiver == routing.duty_office else "抄送"
                add(receiver, role, f"路由规则指定（{path}）")
    responsible = [r for r in found.values() if r.role in ("主管", "处置")]
    if len(responsible) > 1 and routing.duty_office not in found:
        add(routing.duty_office, "协调", "涉及多个部门，由区政府办公室协调")
    if not responsible and routing.duty_office not in found:
        add(routing.duty_office, "值班", "没有可确定的主管或属地部门，交值班室分办")
    return sorted(found.values(), key=lambda r: (ROLE_ORDER.index(r.role), r.department_id))


def explain(config: Config, q: RouteQuery) -> str:
    """Chinese text for `yuqing route test`."""
    lines = []
    for r in route(config, q):
        lines.append(f"{config.department(r.department_id).name}（{r.department_id}）"
                     f"  职责：{r.role}  原因：{r.reason}")
    return "\n".join(lines)

"""Responsibility routing: 谁主管谁回应、谁处置谁回应.

A tree in the spirit of Alertmanager's: children are tried in order, the first match wins
unless it says `continue`; where no child matches, the parent's receivers apply. The
special receivers `owner` (the topic's 主管 department) and `handler` (the place's 处置
department) expand per warning; a matter involving several departments gets the duty
office as coordinator, and a warning nobody owns goes to the duty office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yuqing.config.models import Config, Route

ROLE_ORDER = ("主管", "处置", "协调", "上报", "抄送", "值班")


@dataclass(frozen=True)
class RouteQuery:
    topic_id: str | None
    place_id: str | None
    severity: str
    source_kinds: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    # the warning's kind (spike, trend, critical …); a warning no topic names (未归类) has
    # the duty office as its 主管 until it assigns it. Empty: a what-if query (route test).
    kind: str = ""
    # a district-wide warning's street where most of its items are (its 处置), with the
    # reason in words: "全区预警的信息集中在黄务街道（5/7条）"
    handler_place: str | None = None
    handler_reason: str = ""


@dataclass(frozen=True)
class Recipient:
    department_id: str
    role: str
    reason: str          # in words, for people: "只楚街道的属地处置部门"
    path: str = ""       # the config rule that chose it, for `yuqing route test` only


MATCH_NAMES = {"topic": "主题", "place": "地点", "severity": "级别", "source_kind": "信息源类型",
               "source": "信息源"}


def _mismatches(route: Route, q: RouteQuery) -> list[str]:
    """The matchers that fail, in words; an empty matcher matches anything."""
    m = route.match
    checks = [
        ("topic", m.topic, [q.topic_id] if q.topic_id else []),
        ("place", m.place, [q.place_id] if q.place_id else []),
        ("severity", m.severity, [q.severity]),
        ("source_kind", m.source_kind, list(q.source_kinds)),
        ("source", m.source, list(q.source_ids)),
    ]
    return [f"{MATCH_NAMES[name]}不在 {'/'.join(wanted)} 中" for name, wanted, have in checks
            if wanted and not set(wanted) & set(have)]


def _describe(route: Route) -> str:
    m = route.match
    parts = [f"{MATCH_NAMES[name]}={'/'.join(getattr(m, name))}" for name in MATCH_NAMES
             if getattr(m, name)]
    return "、".join(parts) or "任意"


def _walk(routes: list[Route], q: RouteQuery, path: str,
          trace: list[str] | None = None, depth: int = 0) -> list[tuple[list[str], str]]:
    """Receivers of the matching routes, each with the path that explains the choice."""
    chosen = []
    for i, route in enumerate(routes):
        here = f"{path}.routes[{i}]"
        failed = _mismatches(route, q)
        if trace is not None:
            verdict = "不匹配：" + "；".join(failed) if failed else "匹配"
            trace.append(f"{'  ' * depth}{here}（{_describe(route)}）→ {verdict}")
        if failed:
            continue
        deeper = _walk(route.routes, q, here, trace, depth + 1)
        chosen += deeper or [(route.receivers, here)]
        if not route.continue_:
            if trace is not None and i + 1 < len(routes):
                trace.append(f"{'  ' * depth}（未设 continue，其后的规则不再匹配）")
            break
    return chosen


def route_of(routing, path: str) -> Route | None:
    """The route a path like routing.routes[0].routes[1] names (None: the root)."""
    node, found = routing, None
    for index in (int(i) for i in re.findall(r"routes\[(\d+)\]", path)):
        node = found = node.routes[index]
    return found


def _rule_words(config: Config, rule: Route | None, role: str) -> str:
    """Why a named receiver got it, in words: 重大及以上预警抄送区委宣传部."""
    m = rule.match if rule is not None else None
    conditions = []
    if m is not None:
        if m.severity:
            conditions.append(f"{'、'.join(m.severity)}级")
        if m.topic:
            conditions.append("、".join(config.topic(t).name for t in m.topic if _known(config.topics, t)) + "类")
        if m.place:
            conditions.append("、".join(config.place(p).name for p in m.place if _known(config.places, p)))
        if m.source_kind or m.source:
            conditions.append("特定信息源")
    what = "".join(conditions) + "预警" if conditions else "预警"
    return f"{what}按分发规则由本单位{'统筹协调' if role == '协调' else '知悉'}"


def _known(items, item_id: str) -> bool:
    return any(i.id == item_id for i in items)


def route(config: Config, q: RouteQuery, trace: list[str] | None = None) -> list[Recipient]:
    routing = config.routing
    chosen = _walk(routing.routes, q, "routing", trace) or [(routing.receivers, "routing（默认）")]
    found: dict[str, Recipient] = {}

    def add(dept: str, role: str, reason: str, path: str = "") -> None:
        old = found.get(dept)
        if old is None or ROLE_ORDER.index(role) < ROLE_ORDER.index(old.role):
            found[dept] = Recipient(dept, role, reason, path)

    for receivers, path in chosen:
        for receiver in receivers:
            if receiver == "owner" and q.topic_id:
                topic = config.topic(q.topic_id)
                add(topic.owner, "主管", f"{topic.name}的主管部门", path)
                for co in topic.co_owners:
                    add(co, "主管", f"{topic.name}的共同主管部门", path)
            elif receiver == "owner" and q.kind:
                # 未归类: no topic names the matter; the duty office owns it until it assigns it
                add(routing.duty_office, "主管", "未归类事项，由值班室主管并分办", path)
            elif receiver == "handler" and q.place_id:
                place = config.place(q.place_id)
                add(place.handler, "处置", f"{place.name}的属地处置部门", path)
            elif receiver == "handler" and q.handler_place:
                place = config.place(q.handler_place)
                add(place.handler, "处置", f"{q.handler_reason}，由{place.name}属地处置", path)
            elif receiver not in ("owner", "handler"):
                role = "协调" if receiver == routing.duty_office else "抄送"
                add(receiver, role, _rule_words(config, route_of(routing, path), role), path)
    responsible = [r for r in found.values() if r.role in ("主管", "处置")]
    if len(responsible) > 1 and routing.duty_office not in found:
        add(routing.duty_office, "协调", "涉及多个部门，由区政府办公室协调")
    if not responsible and routing.duty_office not in found:
        add(routing.duty_office, "值班", "没有可确定的主管或属地部门，交值班室分办")
    return sorted(found.values(), key=lambda r: (ROLE_ORDER.index(r.role), r.department_id))


def explain(config: Config, q: RouteQuery) -> str:
    """Chinese text for `yuqing route test`: the rules tried, then who receives and why."""
    from yuqing.alerts.channels import redact
    from yuqing.alerts.quiet import quiet_for

    trace: list[str] = []
    recipients = route(config, q, trace)
    lines = ["匹配过程：", *(f"  {line}" for line in trace or ["（没有子规则）"])]
    if not any("→ 匹配" in line for line in trace):
        lines.append("  无子规则匹配，使用根规则 routing.receivers：" + "、".join(config.routing.receivers))
    lines.append("接收单位：")
    for r in recipients:
        dept = config.department(r.department_id)
        quiet = quiet_for(config, dept.id)
        channels = "、".join(redact(c) for c in dept.channels) or "未配置（由值班室代转）"
        lines.append(f"{dept.name}（{r.department_id}）  职责：{r.role}  原因：{r.reason}"
                     + (f"（{r.path}）" if r.path else ""))
        lines.append(f"    通知渠道：{channels}；静默时段 {quiet.start:%H:%M}–{quiet.end:%H:%M}"
                     f"（低于{quiet.hold_below}的预警顺延到早上）")
    return "\n".join(lines)

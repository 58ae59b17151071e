"""Cross-file checks: every reference points at something that exists."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from yuqing.config.errors import Problem
from yuqing.config.models import Config, Route

SPECIAL_RECEIVERS = {"owner", "handler"}


def cross_check(config: Config, files: dict[str, Path]) -> list[Problem]:
    def where(name: str) -> str:
        return str(files.get(name, name))

    problems: list[Problem] = []
    depts = {d.id for d in config.departments}

    for key, items in (("sources", config.sources), ("topics", config.topics),
                       ("places", config.places), ("departments", config.departments)):
        for ident, count in Counter(i.id for i in items).items():
            if count > 1:
                problems.append(Problem(where(f"{key}.yaml"), key, f"id“{ident}”重复出现 {count} 次"))

    def need_dept(file: str, key: str, dept: str) -> None:
        if dept not in depts:
            problems.append(Problem(where(file), key, f"部门“{dept}”未在 departments.yaml 中定义"))

    for i, topic in enumerate(config.topics):
        need_dept("topics.yaml", f"topics[{i}].owner", topic.owner)
        for j, dept in enumerate(topic.co_owners):
            need_dept("topics.yaml", f"topics[{i}].co_owners[{j}]", dept)
    names: Counter[str] = Counter()
    for i, place in enumerate(config.places):
        need_dept("places.yaml", f"places[{i}].handler", place.handler)
        names.update({place.name, *place.aliases})
    for name, count in names.items():
        if count > 1:
            problems.append(Problem(where("places.yaml"), "places", f"地名或别名“{name}”属于多个地点"))
    for i, dept in enumerate(config.departments):
        for j, target in enumerate(dept.escalation):
            need_dept("departments.yaml", f"departments[{i}].escalation[{j}]", target)
            if target == dept.id:
                problems.append(Problem(where("departments.yaml"), f"departments[{i}].escalation[{j}]",
                                        "上报链不能指向本部门自己"))

    model_dir = config.settings.analysis.sentiment_path
    if model_dir and not (Path(model_dir) / "meta.json").is_file():
        problems.append(Problem(where("settings.yaml"), "settings.analysis.sentiment_path",
                                f"情感模型目录“{model_dir}”不存在或不是 yuqing sentiment train 的输出"))

    routing = config.routing
    need_dept("routing.yaml", "routing.duty_office", routing.duty_office)
    _check_receivers(routing.receivers, "routing.receivers", depts, problems, where("routing.yaml"))
    ids = {"topic": {t.id for t in config.topics}, "place": {p.id for p in config.places},
           "source": {s.id for s in config.sources}}
    _check_routes(routing.routes, "routing.routes", depts, ids, problems, where("routing.yaml"))
    return problems


def _check_receivers(receivers, key, depts, problems, file) -> None:
    for j, receiver in enumerate(receivers):
        if receiver not in depts and receiver not in SPECIAL_RECEIVERS:
            problems.append(Problem(file, f"{key}[{j}]",
                                    f"接收方“{receiver}”既不是已定义的部门，也不是 owner / handler"))


def _check_routes(routes: list[Route], key, depts, ids, problems, file) -> None:
    names = {"topic": "主题", "place": "地点", "source": "信息源"}
    for i, route in enumerate(routes):
        here = f"{key}[{i}]"
        _check_receivers(route.receivers, f"{here}.receivers", depts, problems, file)
        for field, known in ids.items():
            for j, value in enumerate(getattr(route.match, field)):
                if value not in known:
                    problems.append(Problem(file, f"{here}.match.{field}[{j}]",
                                            f"{names[field]}“{value}”未定义"))
        _check_routes(route.routes, f"{here}.routes", depts, ids, problems, file)


def advisories(config: Config) -> list[str]:
    """Problems that do not stop the config loading but leave a gap: reported by
    `yuqing config check`. A department (other than a street, which handles places, or an
    external body) that owns no topic can never be the 主管 of a warning."""
    owned = {t.owner for t in config.topics} | {d for t in config.topics for d in t.co_owners}
    notes = []
    for dept in config.departments:
        if dept.kind in ("department", "office") and dept.id not in owned:
            if dept.id == config.routing.duty_office:
                continue        # the duty office receives what nobody owns (未归类)
            notes.append(f"部门“{dept.name}”（{dept.id}）没有主管或协办任何主题，"
                         f"不会成为任何预警的主管部门；请在 topics.yaml 中为它指定主题")
    return notes

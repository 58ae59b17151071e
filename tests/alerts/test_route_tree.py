"""The routing tree: matchers, first match wins unless `continue`, nested routes, and
`yuqing route test` explaining who receives and why."""

from __future__ import annotations

import pytest

from yuqing.alerts.route import RouteQuery, route
from yuqing.config.models import Route, RouteMatch, Routing
from yuqing.app.cli import main


def tree(default_config, routes, receivers=("owner", "handler")):
    routing = Routing(duty_office="qzfb", receivers=list(receivers), routes=routes)
    return default_config.model_copy(update={"routing": routing})


def got(config, topic=None, place=None, severity="一般", kinds=(), sources=()):
    return {r.department_id: r.role for r in route(config, RouteQuery(topic, place, severity, kinds, sources))}


ROUTES = [
    Route(match=RouteMatch(source_kind=["board"]), receivers=["owner", "handler", "xinfang"],
          **{"continue": True}),
    Route(match=RouteMatch(topic=["medical"]), receivers=["owner"], routes=[
        Route(match=RouteMatch(severity=["重大", "特别重大"]), receivers=["owner", "handler", "xuanchuan"]),
    ]),
    Route(match=RouteMatch(place=["zhifudao"]), receivers=["handler", "yingji"]),
    Route(match=RouteMatch(source=["zhifu-gov-news"]), receivers=["xuanchuan"]),
]


@pytest.mark.parametrize("query,expected", [
    # no route matches: the root's receivers (owner and handler), the office coordinates
    (dict(topic="heating", place="zhichu"), {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调"}),
    # first match wins: medical takes only its owner
    (dict(topic="medical", place="zhichu"), {"weijian": "主管"}),
    # a nested route refines its parent
    (dict(topic="medical", place="zhichu", severity="重大"),
     {"weijian": "主管", "zhichu": "处置", "qzfb": "协调", "xuanchuan": "抄送"}),
    # continue: the board route and the next matching one both apply
    (dict(topic="medical", place="baishi", kinds=("board",)),
     {"weijian": "主管", "baishi": "处置", "qzfb": "协调", "xinfang": "抄送"}),
    (dict(place="zhifudao"), {"zhifudao": "处置", "yingji": "抄送"}),
    (dict(topic="education", sources=("zhifu-gov-news",)), {"xuanchuan": "抄送", "qzfb": "值班"}),
    # nobody responsible: the duty office
    (dict(), {"qzfb": "值班"}),
])
def test_routing_tree_table(default_config, query, expected):
    assert got(tree(default_config, ROUTES), **query) == expected


def test_co_owners_split_the_duty_and_the_office_coordinates(default_config):
    topics = [t.model_copy(update={"co_owners": ["weijian"]}) if t.id == "foodsafety" else t
              for t in default_config.topics]
    config = default_config.model_copy(update={"topics": topics})
    assert got(config, topic="foodsafety", place="qishan") == {
        "shijian": "主管", "weijian": "主管", "qishan": "处置", "qzfb": "协调"}


def test_route_test_prints_who_and_why(capsys):
    assert main(["route", "test", "--topic", "冬季供暖", "--place", "只楚街道", "--severity", "重大"]) == 0
    out = capsys.readouterr().out
    assert "routing.routes[0]（级别=重大/特别重大）→ 匹配" in out
    assert "区住房和城乡建设局（zhujian）  职责：主管  原因：冬季供暖的主管部门（routing.routes[0]）" in out
    assert "区委宣传部（网信办）（xuanchuan）  职责：抄送" in out
    assert main(["route", "test", "--topic", "heating", "--place", "zhichu"]) == 0
    out = capsys.readouterr().out
    assert "→ 不匹配：级别不在 重大/特别重大 中" in out and "使用根规则" in out
    assert "只楚街道办事处（zhichu）  职责：处置" in out and "静默时段 22:00–07:30" in out

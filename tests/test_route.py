"""Responsibility routing: the owner (主管) and the handler (处置) both receive."""

from __future__ import annotations

import subprocess
import sys

import pytest

from yuqing.alerts.route import RouteQuery, route


def receivers(config, **kw) -> dict[str, str]:
    q = RouteQuery(kw.get("topic"), kw.get("place"), kw.get("severity", "一般"),
                   kw.get("kinds", ()), kw.get("sources", ()))
    return {r.department_id: r.role for r in route(config, q)}


@pytest.mark.parametrize("topic,place,severity,expected", [
    # owner and handler both answer; several departments -> the office coordinates
    ("heating", "zhichu", "一般", {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调"}),
    ("education", None, "一般", {"jiaoti": "主管"}),
    (None, "baishi", "一般", {"baishi": "处置"}),
    # nobody responsible: the duty office takes it
    (None, None, "一般", {"qzfb": "值班"}),
    # major warnings also reach the office and the publicity department
    ("heating", "zhichu", "重大", {"zhujian": "主管", "zhichu": "处置", "qzfb": "协调", "xuanchuan": "抄送"}),
    ("safety", "tongshen", "较大", {"yingji": "主管", "tongshen": "处置", "qzfb": "协调"}),
])
def test_routing_table(default_config, topic, place, severity, expected):
    assert receivers(default_config, topic=topic, place=place, severity=severity) == expected


def test_continue_collects_later_routes(default_config):
    routing = default_config.routing.model_copy(update={"routes": [
        default_config.routing.routes[0].model_copy(update={"continue_": True}),
        *default_config.routing.routes[1:]]})
    config = default_config.model_copy(update={"routing": routing})
    got = receivers(config, topic="safety", place="tongshen", severity="重大")
    assert got["xuanchuan"] == "抄送" and got["yingji"] == "主管"


def test_route_test_command_explains():
    out = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "route", "test", "--topic", "冬季供暖",
                          "--place", "只楚街道", "--severity", "较大"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "区住房和城乡建设局（zhujian）  职责：主管" in out.stdout
    assert "只楚街道办事处（zhichu）  职责：处置" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "yuqing.app.cli", "route", "test", "--topic", "供电"],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "未知的主题“供电”" in bad.stderr

"""Gazetteer: streets, communities, short aliases, and the ambiguous cases that must stay unassigned."""

from __future__ import annotations

import pytest

from yuqing.analysis.places import Gazetteer
from yuqing.config.models import Place


@pytest.fixture(scope="module")
def gazetteer(default_config):
    return Gazetteer(default_config.places)


@pytest.mark.parametrize("title,body,expected", [
    ("葡萄山社区居民反映暖气不热", "", "zhichu"),
    ("", "芝罘区只楚街道办事处回应", "zhichu"),
    ("只楚这边暖气不热", "", "zhichu"),                                   # accepted short alias
    ("毓璜顶附近一小区停水", "", "yuhuangding"),
    ("芝罘岛上渔民反映码头破损", "", "zhifudao"),
    ("幸福街道电梯停运", "此前向阳街道也曾出现", "xingfu"),                 # title counts more
    # not ours, or not a street's matter
    ("区政府常务会议召开", "研究部署全区工作", None),
    ("烟台市召开全市供暖工作会议", "市住建局部署全市供热保障", None),        # city-wide
    ("向阳而生，幸福生活", "东山再起，白石如玉，奇山秀水", None),           # common words, no alias
    ("莱山区滨海路社区居民反映", "", None),                                 # another district's namesake
    ("莱山区黄海路街道一小区停暖", "葡萄山社区也有类似问题", None),          # foreign text, community only
    ("毓璜顶医院挂号难", "", None),                                        # a city hospital, not 属地
    ("向阳街道和东山街道联合执法", "", None),                              # a tie: the duty office decides
])
def test_locate(gazetteer, title, body, expected):
    assert gazetteer.locate(title, body) == expected


def test_named_district_home_keeps_communities(gazetteer):
    # a round-up naming other districts and 芝罘区 still places 芝罘区's community
    assert gazetteer.locate("", "芝罘区葡萄山社区、莱山区初家街道等地出现供暖问题") == "zhichu"


def test_street_name_survives_a_foreign_mention(gazetteer):
    assert gazetteer.locate("只楚街道居民到福山区务工被欠薪", "") == "zhichu"


def test_match_keeps_evidence(gazetteer):
    found = gazetteer.match("只楚街道葡萄山社区暖气不热", "")
    assert found.place_id == "zhichu" and set(found.names) == {"只楚街道", "葡萄山社区"}


def test_community_in_two_streets_needs_its_street():
    places = [Place(id="a", name="甲街道", handler="a", communities=[{"name": "新华社区"}, {"name": "甲社区"}]),
              Place(id="b", name="乙街道", handler="b", communities=[{"name": "新华社区"}])]
    g = Gazetteer(places)
    assert g.locate("新华社区路灯不亮", "") is None
    assert g.locate("乙街道新华社区路灯不亮", "") == "b"
    assert g.locate("甲社区居民反映", "") == "a"

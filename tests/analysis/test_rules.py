"""Topics, places, stories and privacy masking on realistic district text."""

from __future__ import annotations

import pytest

from yuqing.analysis.places import Gazetteer
from yuqing.analysis.privacy import mask
from yuqing.analysis.segment import Segmenter
from yuqing.analysis.stories import StoryIndex, signature, similarity
from yuqing.analysis.topics import TopicMatcher


@pytest.fixture(scope="module")
def matcher(default_config):
    return TopicMatcher(default_config.topics)


@pytest.mark.parametrize("title,body,expected", [
    ("葡萄山社区暖气不热，室温只有十五度", "", {"heating"}),
    ("只楚街道召开冬季供暖工作会议", "部署今冬供暖保障", set()),          # subject without an event word
    ("区住建局发布供热企业招聘公告", "暖气维修工招聘，不热情者勿扰", set()),  # excluded word vetoes
    ("幸福街道老旧小区加装电梯停运一个月", "居民投诉物业不作为", {"property"}),
    ("孩子入学划片不公平", "学区划分引发家长质疑", {"education"}),
])
def test_topic_rules(matcher, title, body, expected):
    assert {m.topic_id for m in matcher.match(title, body)} == expected


def test_topic_match_keeps_evidence_words(matcher):
    [m] = matcher.match("暖气不热没人管", "")
    assert set(m.words) == {"暖气", "不热", "没人管"}


def test_places_by_street_alias_and_community(default_config):
    g = Gazetteer(default_config.places)
    assert g.locate("葡萄山社区居民反映", "") == "zhichu"
    assert g.locate("", "白石街道办回应占道经营问题") == "baishi"
    assert g.locate("区政府常务会议召开", "研究部署全区工作") is None
    # the title counts more than a passing mention in the body
    assert g.locate("幸福街道电梯停运", "此前向阳街道也曾出现") == "xingfu"


def test_segmenter_keeps_config_names_whole(default_config):
    seg = Segmenter.for_config(default_config)
    tokens = seg.tokens("葡萄山社区居民向区住房和城乡建设局反映供暖问题")
    assert "葡萄山社区" in tokens and "区住房和城乡建设局" in tokens


def test_reprints_share_a_story_and_templated_neighbours_do_not():
    original = ("11月20日，只楚街道葡萄山社区多个小区居民反映暖气不热，室温只有十五六度。"
                "记者了解到，供热公司已派出维修人员逐户排查管网，预计三天内恢复正常供热。"
                "街道办事处表示将持续跟进，督促供热企业落实责任。")
    reprint = "【烟台民生网】" + original.replace("记者了解到", "据了解") + "（责任编辑：王丽）"
    # same template, different story: must not be merged
    neighbour = ("11月21日，幸福街道福泰社区多个小区居民反映电梯停运，出行十分不便。"
                 "记者了解到，物业公司已派出维修人员排查，预计三天内恢复正常运行。"
                 "街道办事处表示将持续跟进，督促物业企业落实责任。")
    a, b, c = signature(original), signature(reprint), signature(neighbour)
    index = StoryIndex()
    index.add(a, 1)
    assert similarity(a, b) > 0.6 and index.find(b) == 1
    assert similarity(a, c) < 0.45 and index.find(c) is None
    assert index.find(signature("")) is None


@pytest.mark.parametrize("raw,masked", [
    ("联系电话13812345678", "联系电话138****5678"),
    ("身份证号370602198801011234", "身份证号370602***********4"),
    ("固话0535-6212345", "固话0535-****345"),
    ("2024年11月20日", "2024年11月20日"),
])
def test_privacy_masking(raw, masked):
    assert mask(raw) == masked

"""Boolean topic expressions: parsing, evaluation, proximity, and config errors users see."""

from __future__ import annotations

import shutil

import pytest

from yuqing.config.topic_expr import ExprError, parse
from yuqing.analysis.topics import TopicMatcher
from yuqing.config import DEFAULT_DIR, ConfigError, load_config
from yuqing.config.models import Topic


def matcher(expr: str, **rule) -> TopicMatcher:
    return TopicMatcher([Topic(id="t", name="测试", owner="zhujian", rule={"expr": expr, **rule})])


def hits(m: TopicMatcher, title: str, body: str = "") -> tuple[str, ...] | None:
    found = m.match(title, body)
    return found[0].words if found else None


@pytest.mark.parametrize("expr,title,body,expected", [
    ("(供暖|暖气|供热) & (不热|停暖|室温) & !招聘", "暖气不热", "", ("不热", "暖气")),
    ("(供暖|暖气|供热) & (不热|停暖|室温) & !招聘", "暖气维修工招聘", "室温达标", None),
    ("（供暖｜暖气）＆（不热｜停暖）＆！招聘", "供暖停暖", "", ("供暖", "停暖")),     # full-width
    ("暖气 & 不热 | 电梯 & 停运", "电梯停运", "", ("停运", "电梯")),                # & before |
    ("暖气 & (不热 | 电梯) & 停运", "电梯停运", "", None),
    ("!(招聘|招标) & 暖气", "暖气", "", ("暖气",)),
    ("标题:暖气 & 不热", "暖气问题", "家里不热", ("不热", "暖气")),
    ("标题:暖气 & 不热", "居民来信", "暖气不热", None),
    ("正文:(暖气 & 不热)", "暖气不热", "", None),
    ('"wi-fi" & 断网', "小区wi-fi断网", "", ("wi-fi", "断网")),
])
def test_expression_truth_table(expr, title, body, expected):
    assert hits(matcher(expr), title, body) == expected


def test_groups_and_rule_lists_are_named_with_at():
    m = matcher("@热源 & @事件", groups={"热源": ["供暖", "暖气"]}, event=["不热", "冰凉"])
    assert hits(m, "暖气片冰凉") == ("冰凉", "暖气")
    assert hits(m, "暖气正常") is None


def test_exclude_vetoes_in_expression_form_too():
    m = matcher("暖气 & 不热", exclude=["招聘"])
    assert hits(m, "暖气不热", "招聘维修工") is None


LONG_REPORT = ("区住建局召开年度工作总结会。会议指出，今年全区供暖面积新增四十万平方米，" + "各项工作稳步推进。" * 30
               + "会议还通报了物业服务投诉办理情况。")


@pytest.mark.parametrize("expr,text,expected", [
    ("供暖 ~20 投诉", LONG_REPORT, None),                         # far apart in a long report
    ("供暖 & 投诉", LONG_REPORT, ("供暖", "投诉")),                 # plain AND would match it
    ("供暖 ~20 投诉", "今年供暖季接到投诉三百余件", ("供暖", "投诉")),
    ("投诉 ~5 供暖", "今年供暖季接到投诉三百余件", ("供暖", "投诉")),  # order does not matter
    ("供暖 ~句 投诉", "供暖正常。投诉减少", None),
    ("供暖 ~句 投诉", "供暖季接到的投诉减少了", ("供暖", "投诉")),
])
def test_proximity(expr, text, expected):
    assert hits(matcher(expr), "", text) == expected


def test_shipped_heating_rule_ignores_far_apart_words_in_long_articles(default_config):
    m = TopicMatcher(default_config.topics)
    assert "heating" not in {t.topic_id for t in m.match("区住建局年度工作总结", LONG_REPORT)}
    assert {t.topic_id for t in m.match("居民来信", "葡萄山社区暖气不热，室温只有十五度")} == {"heating"}
    assert {t.topic_id for t in m.match("供暖问题", "多次投诉未果")} == {"heating"}


def test_gas_near_a_leak_is_safety_but_a_data_leak_is_not():
    m = matcher("@险情 | @气源 ~10 (泄漏|泄露|中毒)",
                groups={"险情": ["火灾", "爆炸"], "气源": ["燃气", "天然气"]})
    assert hits(m, "一饭店燃气泄漏") == ("泄漏", "燃气")
    assert hits(m, "个人信息泄漏引关注", "燃气费缴纳平台上线") is None


@pytest.mark.parametrize("expr,pos,message", [
    ("(供暖|暖气", 7, "缺少右括号“)”"),
    ("供暖)", 3, "多出右括号“)”"),
    ("供暖 暖气", 4, "“暖气”前缺少运算符 & 或 |"),
    ("供暖 &", 5, "表达式不完整"),
    ("供暖 & @热源", 6, "未定义的词组“@热源”"),
    ("供暖 ~ 投诉", 4, "“~”后应为字数"),
    ("(供暖 & 暖气) ~5 投诉", 11, "邻近运算“~”两侧只能是词"),
    ("!招聘", 1, "至少要有一个须命中的词"),
    ('"供暖', 1, "引号未闭合"),
    ("标头:供暖", 1, "“标头:”不是可用的范围"),
    ("", 1, "表达式为空"),
])
def test_expression_errors_name_the_position(expr, pos, message):
    with pytest.raises(ExprError) as info:
        parse(expr, {})
    assert info.value.pos == pos
    assert str(info.value).startswith(f"表达式第 {pos} 个字符处：") and message in str(info.value)


@pytest.fixture
def cfg_dir(tmp_path):
    target = tmp_path / "cfg"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def problems_after(cfg_dir, old: str, new: str) -> list[str]:
    path = cfg_dir / "topics.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg_dir)
    return [str(p) for p in info.value.problems]


def test_bad_expression_in_config_names_file_key_and_position(cfg_dir):
    problems = problems_after(cfg_dir, 'expr: "@主体 ~60 @事件 | 标题:@主体 & @事件"',
                              'expr: "(@主体 ~60 @事件 | 标题:@主体 & @事件"')
    assert problems == [f"{cfg_dir / 'topics.yaml'}: topics[0].rule.expr: "
                        "表达式第 28 个字符处：缺少右括号“)”"]


def test_expression_must_use_the_subject_it_declares(cfg_dir):
    problems = problems_after(cfg_dir, 'expr: "@主体 ~60 @事件 | 标题:@主体 & @事件"', 'expr: "暖气 & @事件"')
    assert any("topics[0].rule.expr" in p and "@主体" in p for p in problems)


def test_rule_needs_subject_or_expression(cfg_dir):
    problems = problems_after(cfg_dir, "      subject: [入学, 学区, 招生, 幼儿园, 义务教育, 学位, 中小学]\n", "")
    assert any("topics[1].rule" in p and "缺少 subject（主体词）或 expr" in p for p in problems)


def test_unknown_rule_key_suggests_expr(cfg_dir):
    problems = problems_after(cfg_dir, 'expr: "@主体 ~60', 'exp: "@主体 ~60')
    assert any("topics[0].rule.exp" in p and "是否应为“expr”" in p for p in problems)

"""Which middling-scored public items count as negative (settings.analysis): the wider bars
need evidence of a complaint in the words, so plain local news, residents' everyday posts and
board questions are not counted as complaints when the sentiment model reads them as slightly
unhappy, while complaints written plainly still are.

The model is a stand-in with one fixed score, so each case tests the rule, not the model."""

from __future__ import annotations

import pytest

from yuqing.analysis.stage import Analyser
from yuqing.config import load_config


class Fixed:
    def __init__(self, value):
        self.value = value

    def score(self, text, focus=()):
        return self.value


def negative(score, title, body, *, kind="post", author="居民小王"):
    analyser = Analyser(load_config("default"), model=Fixed(score))
    return analyser.analyse(title, f"{title}。{body}", kind=kind, author=author).negative


# between negative_below (0.4) and public_below (0.5): the band where wording decides
@pytest.mark.parametrize("title,body,kind", [
    ("只楚街道完成老旧小区供热管网改造", "改造涉及12栋楼，工期一个月。", "article"),
    ("金沟寨街道部分小区明日停电检修", "停电时间为8时至12时。", "article"),
    ("楼下的早市今天搬到新地方了", "以后买菜要多走两步路", "post"),
    ("暖气今天开始试水了", "家里有点响动，物业说正常", "post"),
])
def test_plain_reports_of_ordinary_life_are_not_complaints(title, body, kind):
    assert not negative(0.45, title, body, kind=kind, author="" if kind == "article" else "居民小王")


@pytest.mark.parametrize("title,body", [
    ("医保报销跑了五趟还没办下来", "每次都说缺材料。"),
    ("电梯又停了", "老人下不了楼。"),
    ("小区门口收费停车场乱收费", "一天收五十，连个票据都没有。"),
    ("夜市油烟熏得开不了窗", "楼上住户根本睡不着。"),
    ("残疾人补贴申请半年没消息", "家里就靠这点钱过日子。"),
    ("一楼饭店吃出了虫子", "找老板理论还被骂。希望市场监管部门查一查。"),
])
def test_complaints_written_plainly_still_count(title, body):
    assert negative(0.45, title, body)


def test_board_questions_are_not_complaints_but_board_grievances_are():
    # a board message is a complaint by what the board is for, unless it asks or suggests
    assert not negative(0.6, "咨询一下加装电梯的补贴政策", "我家住六楼，想了解一下申请流程", kind="message")
    assert not negative(0.6, "建议在路口增设一个公交站", "附近新建了几个小区", kind="message")
    assert negative(0.6, "小区电梯停了一个礼拜", "物业说等配件", kind="message")
    # a question that carries a complaint is still one
    assert negative(0.45, "请问到底有没有人管", "楼道堆满杂物半年了", kind="message")


def test_the_press_framing_a_grievance_counts_above_the_public_bar():
    # a headline that reports residents' trouble ("问题突出", "居民盼…", "引…不满") is a
    # grievance even when the reporter's prose reads neutral to the model
    assert negative(0.56, "停车难问题突出 居民盼规划更多车位", "救护车都进不来。", kind="article", author="")
    assert negative(0.56, "电梯频繁故障 居民出行受困", "记者了解到，物业正在联系厂家。", kind="article", author="")
    assert not negative(0.56, "社区新增一处口袋公园", "公园占地两千平方米。", kind="article", author="")


def test_thanks_keep_the_strict_bar():
    assert not negative(0.45, "电梯又停了三天，今天终于修好了", "谢谢物业师傅")


def test_demanding_an_answer_is_a_complaint():
    assert negative(0.45, "今年招生地图把我们楼单独切出去了", "请给个说法。")
    assert negative(0.45, "我家就住学校对面", "却要去两公里外上学")

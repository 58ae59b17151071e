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


@pytest.mark.parametrize("title,body,kind", [
    # the petition register of 12345 letters and board messages, with no grievance word
    ("尊敬的领导：", "我们楼下的菜店每天五点卸货，恳请相关部门协调。", "post"),
    ("本人系某小区住户", "小区路灯已熄灭两个月，望责成物业维修。", "message"),
    # the internet's way of saying it is fed up or fobbed off
    ("社区医院看个病", "挂号处和诊室踢皮球，一上午白跑，真的服了", "post"),
    ("公交站牌", "写的十分钟一班，等了四十分钟，无语", "post"),
    ("楼下烧烤摊", "油烟呛死人了，窗户都关不住味", "post"),
    # a notice or reply that never came is a grievance
    ("小区停电一天", "连个通知都没有，冰箱里的东西全坏了", "post"),
    ("上个月反映的路灯", "至今无人答复", "post"),
])
def test_petitions_and_slang_count_as_complaints_in_the_middle(title, body, kind):
    assert negative(0.7, title, body, kind=kind)


@pytest.mark.parametrize("title,body", [
    ("小区门口的路", "铺好了，平平整整，走着舒坦"),
    ("社区的消防演练", "讲得挺专业，孩子学到了不少"),
    ("河道清理完了", "傍晚散步能看见野鸭子，心情大好"),
])
def test_praise_without_a_thanks_word_is_not_negative(title, body):
    # praise the model reads as somewhat unhappy is still praise, unless it reads very unhappy
    assert not negative(0.3, title, body)
    assert negative(0.1, title, body)


def test_praise_words_do_not_hide_a_complaint():
    assert negative(0.45, "小区环境", "以前很干净，现在垃圾又堆成山了")
    assert negative(0.3, "不专业", "物业维修工来了三次，电梯还是坏的")

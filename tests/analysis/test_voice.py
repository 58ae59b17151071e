"""Official voice is not complaint: notices and responses are the government speaking."""

import pytest

from yuqing.analysis.voice import classify


@pytest.mark.parametrize("title,body,authority,kind,author,voice", [
    # the government's own campaigns, inspections, talks, rankings and figures: notices
    ("区人社局部署根治欠薪冬季专项行动", "为保障农民工工资按时足额支付，区人社局近日部署开展根治欠薪冬季专项行动。",
     "official", "article", "", "notice"),
    ("区市场监管局开展节前市场检查", "执法人员对辖区超市、农贸市场开展食品安全检查。", "media", "article", "", "notice"),
    ("芝罘区12345热线11月受理情况", "11月共受理群众诉求8523件，办结率98.6%。", "official", "article", "", "notice"),
    ("区住建局约谈5家物业企业", "区住建局约谈物业企业负责人，要求限期整改。", "official", "article", "", "notice"),
    ("2026年第三季度物业服务考评结果公布", "经考评，以下物业企业排名靠后。", "media", "article", "", "notice"),
    ("区应急管理局开展安全生产宣传月活动", "提醒企业防范火灾爆炸事故。", "media", "article", "", "notice"),
    ("冬季取暖安全提醒", "请居民注意用火用电安全，预防一氧化碳中毒。", "social", "post", "芝罘发布", "notice"),
    # the government answering for one matter: responses
    ("关于只楚路路面塌陷情况的通报", "12月1日22时许，只楚路一处路面塌陷，驾驶员轻伤已送医。",
     "official", "article", "", "response"),
    ("芝罘区通报一起养老机构护工虐待老人事件", "涉事护工已被辞退。", "social", "post", "芝罘发布", "response"),
    # the press reporting an incident, residents complaining: public opinion
    ("只楚路突发路面塌陷 一辆轿车陷入司机受伤", "记者赶到现场看到，塌陷处约三米宽。", "media", "article", "", "news"),
    ("我家暖气一点都不热", "室温才15度，物业也不管，怎么办？", "public", "message", "张女士", "complaint"),
    ("楼下烧烤店天天吵到半夜", "", "social", "post", "芝罘小王", "complaint"),
    ("区里开展专项检查了吗？", "我们小区的电梯坏了半个月没人管。", "social", "post", "幸福街道居民", "complaint"),
    # departments' accounts by their short names speak for the government, exclamation or not
    ("", "即日起对学校周边违停行为开展集中整治，请家长接送孩子时规范停车！", "social", "post", "芝罘交警", "notice"),
    ("", "2027年度城乡居民医保集中缴费开始啦！缴费标准为每人每年400元。", "social", "post", "芝罘医保", "notice"),
    ("", "【线路调整】自12月10日起，18路公交车临时调整走向，请乘客合理安排出行。", "social", "post", "烟台公交", "notice"),
    # 关于…的说明 / 回复 from the government answers for one matter
    ("关于向阳街道部分小区停水问题的说明", "因供水管道突发爆裂，抢修后已于当晚恢复供水。", "official", "article", "",
     "response"),
    # a district headline in the government's own voice, relayed by the press
    ("我区新增公办学位两千个", "三所新建学校将于秋季开学投入使用。", "media", "article", "", "notice"),
    # the press telling residents' trouble stays news, even after a 约谈 or a 回应
    ("物业公司被约谈后 小区电梯仍三天两头停运", "居民称约谈之后情况没有明显改善。", "media", "article", "", "news"),
    ("患者称住院期间多收费用 医院回应将核查", "患者家属在清单中发现多项未做的检查。", "media", "article", "", "news"),
    # a complaint that says the notice or the answer never came is a complaint
    ("", "整栋楼停了一天电，连个通知都没有，电梯里还困了人", "social", "post", "住户老孙", "complaint"),
    ("", "说好的施工公告从来没见过，挖掘机一早就开进了小区", "social", "post", "东区业主", "complaint"),
    ("", "投诉三周了，热线答复至今没有，工单也查不到", "social", "post", "夜班司机", "complaint"),
    ("", "尊敬的领导：本人系退休教师，小区门口菜摊占道，恳请执法部门处理。", "social", "post", "老刘", "complaint"),
    # the government as a relayed headline's subject speaks for itself, though it names trouble
    ("区卫健局回应社区医院排队时间长问题", "区卫健局表示，将增开两个夜间门诊窗口。", "media", "article", "", "response"),
    ("区交通运输局约谈出租车企业", "要求企业整治拒载、绕路等问题。", "media", "article", "", "notice"),
    ("区生态环境分局发布十月空气质量排名", "各街道排名情况如下。", "media", "article", "", "notice"),
    # the press among people at an event is news; 施工单位 is no 工单
    ("老码头音乐节开唱 游客挤满海边", "记者在现场看到，不少市民举着荧光棒跟唱，活动持续到晚上十点。",
     "media", "article", "", "news"),
    ("小区围墙倒了一段 砸坏两辆车", "据住户介绍，事发前施工单位曾在墙边挖沟检查管线。", "media", "article", "", "news"),
])
def test_voice_of_real_looking_items(title, body, authority, kind, author, voice):
    assert classify(title, body, authority=authority, kind=kind, author=author).voice == voice


def test_board_messages_are_complaints_even_from_official_looking_names():
    assert classify("物业考评结果什么时候公布", "", authority="official", kind="message",
                    author="某某物业服务中心").voice == "complaint"


def test_stage_never_scores_the_government_as_negative(default_config):
    from yuqing.analysis.stage import Analyser

    class Gloomy:                       # every text scores as very negative
        def score(self, text, focus=()):
            return 0.01

    analyser = Analyser(default_config, model=Gloomy())
    notice = analyser.analyse("区应急管理局开展安全生产大检查", "严防火灾爆炸事故。", source_id=None,
                              kind="article", author="区应急管理局")
    assert notice.voice == "notice" and notice.sentiment == 0.01 and not notice.negative
    news = analyser.analyse("只楚路突发路面塌陷 司机受伤", "记者在现场看到……")
    assert news.voice == "news" and news.negative


def test_stage_stores_voice_and_one_topic(db, default_config, monkeypatch):
    """Real SQLite/PostgreSQL: the voice is on the analysis row, the notice is not negative,
    the 通报 is a response on the roads topic, the incident report stays negative news."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import select

    from yuqing.analysis.stage import Analyser, analyse_pending
    from yuqing.storage.models import Mention

    class Gloomy:
        def score(self, text, focus=(), tokens=None):
            return 0.05

    t0 = datetime(2026, 12, 1, 22, 0, tzinfo=timezone(timedelta(hours=8)))
    monkeypatch.setenv("YUQING_NOW", (t0 + timedelta(days=1)).isoformat())
    portal = next(s.id for s in default_config.sources if s.authority == "official")
    rows = [("news", "http://n/1", "只楚路突发路面塌陷 一辆轿车陷入司机受伤", "记者赶到现场，塌陷处约三米宽。", "article", ""),
            (portal, "http://p/1", "关于只楚路路面塌陷情况的通报", "经初步调查，塌陷系地下供水管道渗漏所致，受伤司机已送医。", "article", ""),
            (portal, "http://p/2", "区人社局部署根治欠薪冬季专项行动", "确保农民工工资按时足额支付。", "article", ""),
            ("board", "http://b/1", "我家暖气一点都不热", "室温才15度，怎么办？", "message", "张女士")]
    with db.session() as s:
        for i, (source, url, title, body, kind, author) in enumerate(rows):
            s.add(Mention(source_id=source, url=url, title=title, content=body, kind=kind, author=author,
                          published_at=t0 + timedelta(minutes=i), fetched_at=t0 + timedelta(minutes=i)))
    analyse_pending(db, default_config, Analyser(default_config, model=Gloomy()))
    with db.session() as s:
        got = {m.url: (m.voice, m.negative, [t.topic_id for t in m.topics])
               for m in s.scalars(select(Mention))}
    assert got == {"http://n/1": ("news", True, ["roads"]),
                   "http://p/1": ("response", False, ["roads"]),
                   "http://p/2": ("notice", False, ["employment"]),
                   "http://b/1": ("complaint", True, ["heating"])}

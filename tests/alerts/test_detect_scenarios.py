"""Issue 13's scenarios through the real pipeline: items stored as collected, the real
analysis stage (voice, topic classifier, gazetteer, sentiment model, stories), then
detection, on SQLite or PostgreSQL. The wording is written here for these tests, not taken
from the topic phrase banks, the simulation's phrase banks or any keyword list."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from yuqing.alerts.detect import detect
from yuqing.analysis.stage import Analyser, analyse_pending
from yuqing.config import load_config
from yuqing.config.models import Source
from yuqing.storage.models import Mention, Warning, WarningEvent

BOARD, NEWS, GOV, WEIBO = "people-liuyan-yantai", "shm-yantai", "zhifu-gov-news", "weibo-keywords"
NOW = datetime(2025, 12, 10, 2, 0, tzinfo=timezone.utc)       # 10:00 in Shanghai, a Wednesday
_n = itertools.count(1)


@pytest.fixture(scope="module")
def config():
    """config/default as shipped, plus a Weibo keyword feed (a new user's usual source)."""
    base = load_config("default")
    weibo = Source(id=WEIBO, name="微博关键词订阅", kind="feed", authority="social",
                   urls=["http://feed.test/weibo.xml"])
    return base.model_copy(update={"sources": [*base.sources, weibo]})


@pytest.fixture(scope="module")
def analyser(config):
    return Analyser(config)


class Pipeline:
    def __init__(self, db, config, analyser, monkeypatch):
        self.db, self.config, self.analyser, self.monkeypatch = db, config, analyser, monkeypatch

    def add(self, when, source, title, text, author="", origin="", collected=None):
        kind = {BOARD: "message", WEIBO: "post"}.get(source, "article")
        with self.db.session() as s:
            s.add(Mention(source_id=source, url=f"http://sample.test/{source}/{next(_n)}", kind=kind,
                          title=title, content=text, author=author, origin=origin, published_at=when,
                          fetched_at=collected or when, reply="已收到" if source == BOARD else ""))

    def cycle(self, at):
        """What the scheduler does at `at`: analyse what was collected, then detect."""
        self.monkeypatch.setenv("YUQING_NOW", at.isoformat())
        analyse_pending(self.db, self.config, self.analyser)
        return detect(self.db, self.config, at)

    def warnings(self):
        with self.db.session() as s:
            return [(w.kind, w.topic_id, w.place_id, w.severity, w.summary,
                     {a.department_id: a.role for a in w.assignments}, len(w.evidence))
                    for w in s.scalars(select(Warning).order_by(Warning.id))]


@pytest.fixture
def pipe(db, config, analyser, monkeypatch):
    return Pipeline(db, config, analyser, monkeypatch)


def quiet_weeks(pipe, end, days=21, street="毓璜顶街道"):
    """Ordinary background: a grievance somewhere else every couple of days, local news."""
    rng = random.Random(7)
    moans = ["楼下早餐摊把人行道占了一半，推车过不去", "小区垃圾桶三天没人清，味道很大",
             "公交站牌被广告挡住了，老人看不清", "菜场门口的电动车堆成山，走路都难"]
    t = end - timedelta(days=days)
    while t < end - timedelta(hours=12):
        pipe.add(t, BOARD, rng.choice(moans), f"{street}{rng.choice(moans)}，麻烦管一管。",
                 author=f"居民{next(_n)}")
        pipe.add(t + timedelta(hours=3), NEWS, f"{street}社区书屋周末开放",
                 f"{street}社区书屋周末开放，孩子们在这里读书写作业。", origin="烟台日报")
        t += timedelta(hours=47)
    pipe.cycle(end - timedelta(hours=12))


HEAT_OPEN = ["家里暖气跟没开一样", "屋里冷得手都伸不出来", "供热根本不达标", "暖气管子冰凉",
             "半夜被冻醒了", "屋里温度计只有十二三度", "孩子冻得直咳嗽", "暖气阀门开到最大也不热"]
HEAT_MORE = ["热力公司的电话一直占线", "物业说要等热力公司来人", "取暖费一分没少交",
             "老人只能整天躺在被窝里", "跟邻居一问家家都一样", "去年冬天也是这个样子",
             "已经打了三次电话没人来", "只能自己买电暖器"]


def test_heating_spike_in_one_street_is_warned_in_time_graded_on_all_its_items(pipe):
    """41 grievances in five hours in 只楚街道 where a heating complaint comes less than once a
    day: at least 较大, within the cycle after the threshold is crossed, counting all 41
    whichever topic each one got, sent to the 主管 of heating and to the street."""
    quiet_weeks(pipe, NOW - timedelta(hours=6))
    rng = random.Random(13)
    start = NOW - timedelta(hours=5)
    blocks = ["葡萄山社区", "只楚社区", "只楚街道", "所城社区", "只楚街道办"]
    for i in range(41):
        at = start + timedelta(minutes=7 * i)
        head = f"{rng.choice(blocks)}{rng.randint(1, 30)}号楼{rng.choice(HEAT_OPEN)}"
        text = f"{head}，{rng.choice(HEAT_MORE)}，{rng.choice(HEAT_MORE)}。"
        source = (BOARD, WEIBO, BOARD, WEIBO, NEWS)[i % 5]
        if source == NEWS:
            pipe.add(at, NEWS, f"只楚街道多个小区居民投诉室内温度过低（{i}）",
                     f"连日来，只楚街道{rng.choice(blocks)}多名居民向本报反映，{rng.choice(HEAT_OPEN)}，"
                     f"{rng.choice(HEAT_MORE)}。", origin=("水母网", "胶东在线", "齐鲁晚报")[i % 3])
        else:
            pipe.add(at, source, head, text, author=f"网友{next(_n)}")
    summary = pipe.cycle(NOW)
    [spike] = [w for w in pipe.warnings() if w[0] == "spike" and w[2] == "zhichu"]
    kind, topic, place, severity, why, roles, evidence = spike
    assert severity in ("较大", "重大", "特别重大"), why
    assert topic == "heating" and roles.get("zhujian") == "主管" and roles.get("zhichu") == "处置", spike
    # counted fully: every one of them the analysis read as a grievance, whatever its topic
    # (the bundled sentiment model reads a few terse posts as neutral)
    with pipe.db.session() as s:
        negative = s.scalar(select(func.count()).select_from(Mention).where(
            Mention.published_at > start - timedelta(minutes=1), Mention.negative.is_(True)))
    assert negative >= 33 and evidence == negative and f"负面{negative}条" in why, why
    assert summary.opened == 1
    assert not [w for w in pipe.warnings() if w[2] not in ("zhichu", None)]


def test_night_road_collapse_warns_at_once_and_the_morning_bulletin_is_its_response(pipe):
    """A news report at 23:40 of a road giving way under a car, its driver hurt; two posts
    after it. The first cycle after it is collected warns at 重大 on roads in the street it
    names; the district's 通报 next morning is recorded on that warning, never a new one."""
    quiet_weeks(pipe, NOW - timedelta(hours=12))
    night = NOW - timedelta(hours=10, minutes=20)             # 23:40 in Shanghai
    pipe.add(night, NEWS, "只楚街道胜利路中段地面突然陷落 一辆网约车栽进坑里司机受伤",
             "昨晚十一点多，只楚街道胜利路中段的地面突然陷下去一个三米多宽的大坑，一辆网约车"
             "前轮栽了进去，司机头部受伤被120送往医院。", origin="水母网",
             collected=night + timedelta(minutes=25))
    first = pipe.cycle(night + timedelta(minutes=30))
    assert first.opened == 1
    [(kind, topic, place, severity, why, roles, _)] = pipe.warnings()
    assert (kind, topic, place, severity) == ("critical", "roads", "zhichu", "重大"), why
    assert roles.get("zhujian") == "主管" and roles.get("zhichu") == "处置"
    for i, words in enumerate(["胜利路那个大坑太吓人了，车头整个扎进去了", "刚路过胜利路，警察把路封了，听说司机受伤了"]):
        pipe.add(night + timedelta(minutes=50 + 20 * i), WEIBO, words, words, author=f"路人{i}")
    second = pipe.cycle(night + timedelta(hours=1, minutes=30))
    assert second.opened == 0
    morning = NOW - timedelta(hours=1, minutes=30)            # 08:30 in Shanghai
    pipe.add(morning, GOV, "关于胜利路只楚段路面塌陷情况的通报",
             "12月9日23时40分许，胜利路只楚段发生路面塌陷，一辆小型客车陷入，驾驶员受轻伤，"
             "已送医治疗，无生命危险。经初步调查，系地下供水管道渗漏所致。区住建局已连夜组织抢修。")
    later = pipe.cycle(NOW)
    assert later.opened == 0 and later.responses == 1
    with pipe.db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        actions = [e.action for e in s.scalars(select(WarningEvent).where(WarningEvent.warning_id == w.id))]
        # the report and the post that says someone was hurt; the 通报 is a response, not evidence
        assert "官方通报" in actions and len(w.evidence) == 2


def test_a_week_of_a_few_complaints_a_day_about_school_zoning_warns_as_a_trend(pipe):
    """3–6 complaints a day for a week about a school's catchment in 东山街道, none of the days
    remarkable alone: a warning on the matter in that street within the week, as a trend."""
    start = NOW - timedelta(days=7)
    quiet_weeks(pipe, start)
    rng = random.Random(3)
    says = ["我家就住学校对面，却要去两公里外上学", "今年招生地图把我们楼单独切出去了",
            "同一栋楼两个单元上不同的小学，这合理吗", "教体局的划分标准到底是什么",
            "开发商宣传的对口学校现在不算数了", "孩子报名被告知不在服务区"]
    for day, n in enumerate([3, 4, 3, 5, 4, 6, 5]):
        for i in range(n):
            at = start + timedelta(days=day, hours=1 + 12 * i / n)
            line = rng.choice(says)
            pipe.add(at, (BOARD, WEIBO)[i % 2], f"东山街道{line}", f"东山街道塔山社区：{line}，请给个说法。",
                     author=f"家长{next(_n)}")
        for hours in (6, 12, 18, 24):
            pipe.cycle(start + timedelta(days=day, hours=hours))
    found = [w for w in pipe.warnings() if w[2] == "dongshan"]
    assert found and any(w[0] == "trend" for w in pipe.warnings()), found
    assert all(w[1] == "education" for w in found), found


def test_a_story_reprinted_by_thirteen_sites_and_fifteen_reposts_warns(pipe):
    """One negative story about a care home carried by 13 news sites and 15 Weibo reposts:
    a warning (one story, twenty-eight voices), sent to 民政 and the street."""
    quiet_weeks(pipe, NOW - timedelta(hours=8))
    title = "白石街道一家护理中心被家属指责长期苛待卧床老人"
    body = ("多名家属向记者反映，白石街道一家护理中心长期让卧床老人饿肚子、身上生褥疮，"
            "家属提出质疑后院方拒绝查看监控。")
    outlets = ["烟台日报", "水母网", "胶东在线", "齐鲁晚报", "大众网", "烟台晚报", "山东商报", "鲁网",
               "舜网", "闪电新闻", "半岛都市报", "中国山东网", "新浪山东"]
    for i, origin in enumerate(outlets):
        pipe.add(NOW - timedelta(hours=7) + timedelta(minutes=15 * i), NEWS, title, body, origin=origin)
    for i in range(15):
        pipe.add(NOW - timedelta(hours=6) + timedelta(minutes=20 * i), WEIBO, f"心寒 //{title}", body,
                 author=f"微博用户{next(_n)}")
    pipe.cycle(NOW)
    found = [w for w in pipe.warnings() if w[2] == "baishi"]
    assert found, pipe.warnings()
    kind, topic, place, severity, why, roles, evidence = found[0]
    assert kind == "spike" and severity in ("较大", "重大"), why
    assert roles.get("minzheng") == "主管" and roles.get("baishi") == "处置", found[0]


@pytest.mark.parametrize("source,title,text,author", [
    (GOV, "区人社局启动欠薪问题冬季集中攻坚", "即日起至春节前，区人社局在全区开展拖欠农民工工资问题集中攻坚，"
     "对欠薪企业依法查处。", ""),
    (NEWS, "区市场监管局对辖区商超开展节前抽查", "执法人员检查了过期食品、价格标签等情况，发现问题当场责令整改。", ""),
    (GOV, "区住建局约见7家物业企业负责人", "针对群众反映集中的电梯停运、漏水等问题，要求限期整改到位。", ""),
    (NEWS, "全区物业服务企业年度考核排名出炉", "排名后三位的企业将被约谈并限期整改，排名情况已向社会公开。", ""),
    (WEIBO, "12345热线11月办理情况", "11月热线共受理群众来电9120件，其中供暖类诉求占三成，办结率99%。", "芝罘发布"),
    (GOV, "区应急管理局举办燃气事故应急处置演练", "模拟餐馆燃气泄漏引发爆炸、多人受伤的场景，检验救援队伍反应速度。", ""),
])
def test_the_governments_own_notices_never_warn(pipe, source, title, text, author):
    """A campaign, an inspection, a 约谈, a ranking, the hotline's monthly figures, a drill:
    however grim their words and however widely relayed, the government speaking is no
    warning."""
    quiet_weeks(pipe, NOW - timedelta(hours=8))
    for i in range(8):                     # relayed all day, by sites and accounts
        pipe.add(NOW - timedelta(hours=7) + timedelta(minutes=30 * i), (source, NEWS)[i % 2], title, text,
                 author=author, origin=("烟台日报", "水母网", "胶东在线", "大众网")[i % 4])
    pipe.cycle(NOW)
    assert pipe.warnings() == []

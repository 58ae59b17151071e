"""Replay of the issue-13 scenarios against the real analysis and detection stages.

    python bench/replay_scenarios.py [--poll 1h] [--seed 7] [--json]

One simulated fortnight (after the usual warm-up) on the four simulated sources, with the
blind phrase bank's background (bench/sim_phrases_blind.py) and, written for this script
only, the shapes the issue's "Why" describes, each in its own street:

1. a heating spike: 41 board messages, posts and news in five hours;
2. a road collapse at night with an injured driver (a news report, then two posts), and the
   district's 通报 the next morning, which must land on that warning, not open a new one;
3. a slow burn: 3–6 complaints a day for seven days about a school's enrolment zoning;
4. a care-home abuse story reprinted by 13 sites, plus 15 Weibo reposts;
5. an unanswered board complaint and, two days later, its follow-up (one warning, not two);
6. official voice that must not warn: 根治欠薪冬季专项行动, a market inspection, 约谈物业企业,
   the hotline's monthly figures (on the portal, relayed by the press and by 芝罘发布).

It reuses simulate_month's machinery (the shipped config/default with only sources and
channels replaced; items enter at their collection time; analysis then detection every poll)
and prints per scenario: warned in time, grade against the expected one, the 主管 and 处置
departments of its warnings, duplicates and 通报 recorded; then the false warnings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import select  # noqa: E402

from sim_month import START, WARMUP, Bank, Event, Item, Month, _daytime, _deadline, _fetch, _Writer, background  # noqa: E402
from simulate_month import run_month, sim_config  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.config.types import parse_duration  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.models import Assignment, Mention, Warning, WarningEvent, WarningEvidence  # noqa: E402

DAYS = 13

# -- scenario wording (written for this script; not in any phrase bank) -----------------------

HEAT_TITLES = ["{p}暖气突然不热了", "{p}整片楼都冻透了", "今天{p}的暖气怎么回事", "{p}供热出问题了吧",
               "紧急求助：{p}家里只有十二度", "{p}暖气片冰凉，热力电话打不通", "{p}是不是停暖了",
               "冻得睡不着，{p}的暖气什么时候恢复"]
HEAT_BODIES = ["从中午开始暖气片就一点点凉下去了，到现在摸着冰手。", "单元群里一下子炸了，几十户都说不热。",
               "家里有两个月大的孩子，只能抱着坐在电暖器跟前。", "打热力客服打了二十多遍，一直占线。",
               "老人说腿冻得疼，已经穿上棉裤了。", "物业说是外网的事，让我们等热力的通知，可谁也没收到通知。",
               "温度计一个小时掉了三度，今晚零下八度可怎么过。", "问了隔壁小区也一样，估计是换热站出故障了。",
               "我们交的取暖费一分不少，出了事连个说明都没有。", "孩子已经咳嗽了，明天还得上学。"]
HEAT_NEWS = ["{p}多个小区暖气骤停 居民家中室温不足十五度", "突发故障致{p}大面积供热中断，热力公司正在抢修"]

ROAD = "只楚路"
ROAD_NEWS = ("深夜{road}突发路面塌陷 一辆轿车坠坑司机受伤",
             "昨晚23时许，{p}{road}一处路面突然塌陷，形成长约四米、深约两米的坑洞，一辆途经的小轿车前半部坠入坑中，"
             "驾驶员被困车内，消防人员将其救出后送医，腿部骨折。现场已拉起警戒线，塌陷原因尚在调查。")
ROAD_POSTS = [("{road}塌了个大坑，车栽进去了", "回家路上看到的，{road}靠近路口那段整个陷下去了，一辆白色轿车车头扎在坑里，"
               "司机被抬上了救护车，警察已经封路了。"),
              ("{p}这边半夜出事了，路面塌陷", "刚才一声闷响，下楼一看路中间塌了一个大洞，听说开车的人腿断了，吓死人。")]
ROAD_REPLY = ("关于{road}路面塌陷情况的通报",
              "昨日23时许，{p}{road}发生一处路面塌陷，一辆小型轿车坠入，驾驶员受伤后已送医救治，无生命危险。"
              "经初步勘察，塌陷系地下供水管道渗漏、路基掏空所致。区住建局已组织抢修，塌陷路段实行交通管制，"
              "下一步将对全区同类管线开展排查。")

SCHOOL_TITLES = ["{p}的孩子为什么被划出了学区", "新小区没有对口学校，{p}家长很焦虑", "招生范围调整能不能听听家长意见",
                 "学区调整后孩子上学要跨半个城区", "再问一次{p}的划片依据", "{p}买房时说的对口学校不算了？",
                 "教体局能不能给{p}家长一个答复"]
SCHOOL_BODIES = ["今年公布的招生范围里我们小区不见了，最近的学校走路十分钟却不能上。",
                 "小区交房三年了，配套学校一直没建，孩子只能往外分。", "打了好几次咨询电话，都说以公示为准。",
                 "家长群里三百多人，天天在讨论这件事，没人给个说法。", "我们不是非要名校，只想要就近上学。",
                 "被分去的学校要过两条主干道，七岁的孩子怎么自己走。", "听说对面小区划进去了，我们一路之隔就不行。",
                 "周末有家长去学校门口问，保安说不知道。"]

CARE_TITLE = "{p}一养老院护工被曝拍打卧床老人 民政部门介入调查"
CARE_BODY = ("近日，一段视频在网上流传：{p}某养老院内，一名护工多次拍打一位卧床老人的头部和手臂，并大声呵斥。"
             "老人家属称，老人入住一年多，近几个月身上经常出现淤青，询问院方均称系老人自己磕碰。"
             "记者联系该养老院，工作人员表示涉事护工已停职。区民政局表示已派员进驻调查，并将对全区养老机构开展排查。")
CARE_SITES = ["烟台新闻网", "今日烟台", "齐鲁壹点", "闪电新闻", "海报新闻", "大众日报客户端", "齐鲁网", "澎湃新闻",
              "网易新闻", "腾讯新闻", "搜狐新闻", "凤凰网山东", "半岛都市报"]
CARE_REPOSTS = ["看哭了，老人一辈子辛苦，老了还要受这种罪 //{t}", "必须严惩！//{t}", "转给有老人在养老院的朋友 //{t}",
                "这还是人干的事吗 {t}", "求后续 //{t}"]

BOARD = ("{p}楼下雨水井反臭反了一个月，没人管",
         "我家住在{p}，楼下的雨水井一个多月来一直往外返臭水，夏天还好，现在冬天也一样，整栋楼都是下水道味，"
         "孩子一回家就捂鼻子。打过物业，说是市政管网的事，请相关部门来看一下。")
BOARD_FOLLOW = ("再次反映：{p}雨水井反臭还是没人处理",
                "我前天在这里留言反映楼下雨水井反臭的事，到今天没有任何回复，也没有人来看过，味道越来越大了。")

NOTICES = [
    ("区人社局部署根治欠薪冬季专项行动", "区人社局召开专题会议，部署开展根治欠薪冬季专项行动。行动持续至春节前，"
     "以工程建设领域为重点，对欠薪案件动态清零，对恶意欠薪行为依法移送公安机关。"),
    ("区市场监管局开展元旦春节市场检查", "区市场监管局组织执法人员对辖区商超、农贸市场开展节前检查，重点检查食品安全、"
     "明码标价和计量器具，共检查经营主体一百余家，现场责令整改问题十三处。"),
    ("区住建局约谈六家物业服务企业", "针对近期群众反映集中的报修不及时、公共收益不公开等问题，区住建局集中约谈六家物业服务企业负责人，"
     "要求十五日内整改到位，整改不力的将纳入信用管理。"),
    ("11月份12345热线运行情况通报", "11月份全区12345热线共受理群众诉求两万余件，按时办结率98.7%，满意率95.1%。"
     "供暖、物业、停车类诉求居前三位，对群众不满意工单已全部退回重办。"),
]

SCENARIOS = [  # key, shape for the expected grade and deadline, matter's owners, street, day offset
    ("供暖突发激增（41条/5小时）", "spike_large", {"zhujian"}, "shihuiyao", 1.5),
    ("夜间路面塌陷、司机受伤，次晨通报", "critical", {"zhujian", "jiaotong"}, "zhichu", 3.6),
    ("入学划片慢热（7天，每天3–6条）", "slow_burn", {"jiaoti"}, "huangwu", 2.0),
    ("养老院虐老报道转载（13家网站+15条转发）", "reprint", {"minzheng"}, "fenghuangtai", 6.4),
    ("留言无人答复及其追问", "unanswered", {"zhujian"}, "zhifudao", 5.3),
    ("官方发布（欠薪专项行动、市场检查、约谈物业、热线月报）", "campaign", set(), "", 8.0),
]


def build(config, seed: int, poll: timedelta) -> Month:
    rng = random.Random(seed)
    bank = Bank("blind")
    w = _Writer(rng, config, bank)
    month = Month(seed)
    month.items = background(rng, w, config, START - WARMUP, START + timedelta(days=DAYS))
    places = {p.id: p for p in config.places}

    def street(pid: str) -> str:
        p = places[pid]
        return rng.choice([p.name, p.name, *p.aliases, *[c.name for c in p.communities]])

    for i, (name, shape, owners, pid, day) in enumerate(SCENARIOS):
        start = (START + timedelta(days=day)).replace(second=0, microsecond=0)
        if shape == "critical":
            start = START + timedelta(days=int(day), hours=15, minutes=10)          # 23:10 Shanghai
        eid = f"s{i}-{shape}"
        handler = places[pid].handler if pid else ""
        month.events.append(Event(eid, shape, name, pid, start, _deadline(shape, start, poll, config),
                                  None if shape == "campaign" else
                                  {"spike_large": "较大", "critical": "重大", "slow_burn": "一般", "reprint": "较大",
                                   "unanswered": "一般"}[shape], owners, handler))
        out: list[Item] = []

        def add(at, source, title, content, **kw):
            out.append(Item(at, source, title, content, event=eid, **kw))

        def person():
            return rng.choice(bank.AUTHORS) + str(rng.randint(1, 9999))

        if shape == "spike_large":                      # 41 items in five hours
            for k in range(41):
                at = start + timedelta(minutes=rng.uniform(0, 300))
                if k < 4:
                    add(at, "sim-news", rng.choice(HEAT_NEWS).format(p=street(pid)),
                        "".join(rng.sample(HEAT_BODIES, 3)) + "记者从供热企业了解到，故障原因正在排查。",
                        origin=rng.choice(bank.ORIGINS))
                    continue
                source = "sim-board" if k % 2 else "sim-weibo"
                title = rng.choice(HEAT_TITLES).format(p=street(pid))
                add(at, source, title, title + "。" + "".join(rng.sample(HEAT_BODIES, 2)), author=person(),
                    reply="已转交。" if source == "sim-board" else "")
        elif shape == "critical":
            p = street(pid)
            t, body = ROAD_NEWS
            add(start, "sim-news", t.format(road=ROAD), body.format(p=p, road=ROAD), origin="今日烟台")
            for k, (pt, pb) in enumerate(ROAD_POSTS):
                add(start + timedelta(minutes=35 + 40 * k), "sim-weibo", pt.format(p=p, road=ROAD),
                    pb.format(p=p, road=ROAD), author=person())
            t, body = ROAD_REPLY
            add(start + timedelta(hours=9, minutes=20), "sim-gov", t.format(road=ROAD), body.format(p=p, road=ROAD))
        elif shape == "slow_burn":
            for d in range(7):
                for _ in range(rng.randint(3, 6)):
                    at = _daytime(rng, start + timedelta(days=d))
                    source = rng.choice(["sim-board", "sim-weibo"])
                    title = rng.choice(SCHOOL_TITLES).format(p=street(pid))
                    add(at, source, title, title + "。" + "".join(rng.sample(SCHOOL_BODIES, 2)), author=person(),
                        reply="已转交。" if source == "sim-board" else "")
        elif shape == "reprint":
            p = street(pid)
            title, body = CARE_TITLE.format(p=p), CARE_BODY.format(p=p)
            for k, site in enumerate(CARE_SITES):
                add(start + timedelta(minutes=15 * k + rng.uniform(0, 20)), "sim-news", title, body, origin=site)
            for k in range(15):
                add(start + timedelta(minutes=25 + 20 * k), "sim-weibo", rng.choice(CARE_REPOSTS).format(t=title), body,
                    author=person())
        elif shape == "unanswered":
            p = street(pid)
            who = person()
            add(start, "sim-board", BOARD[0].format(p=p), BOARD[1].format(p=p), author=who)
            add(start + timedelta(days=2, hours=3), "sim-board", BOARD_FOLLOW[0].format(p=p), BOARD_FOLLOW[1], author=who)
        elif shape == "campaign":
            for k, (title, body) in enumerate(NOTICES):
                at = start + timedelta(days=k // 2, hours=2 + 3 * (k % 2))
                add(at, "sim-gov", title, body)
                for j in range(rng.randint(3, 6)):
                    add(at + timedelta(minutes=40 + 30 * j), "sim-news", title, f"记者从有关部门获悉，{body}",
                        origin=rng.choice(bank.ORIGINS))
                for j in range(rng.randint(2, 4)):
                    add(at + timedelta(minutes=60 + 45 * j), "sim-weibo", f"【权威发布】{title}", body,
                        author=rng.choice(["芝罘发布", "芝罘政务"]))
        month.items += [_fetch(rng, it) for it in out]
    month.items.sort(key=lambda it: it.fetched)
    return month


def departments(db: Database, month: Month) -> dict[str, dict]:
    """Per scenario: the 主管/处置 departments of its warnings, and the 通报 recorded on them."""
    out: dict[str, dict] = {}
    with db.session() as s:
        for w in s.scalars(select(Warning).order_by(Warning.id)):
            urls = s.scalars(select(Mention.url).join(WarningEvidence, WarningEvidence.mention_id == Mention.id)
                             .where(WarningEvidence.warning_id == w.id))
            for e in {u.split("/")[3] for u in urls} - {"noise"}:
                d = out.setdefault(e, {"主管": set(), "处置": set(), "通报": 0})
                for a in s.scalars(select(Assignment).where(Assignment.warning_id == w.id)):
                    d.setdefault(a.role, set()).add(a.department_id)
                d["通报"] += sum(1 for ev in s.scalars(select(WarningEvent).where(WarningEvent.warning_id == w.id))
                               if ev.action == "官方通报")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poll", default="1h")
    parser.add_argument("--seed", type=int, default=7, help="background noise seed")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="accepted for make bench (the replay is one fortnight)")
    args = parser.parse_args(argv)
    poll = parse_duration(args.poll)
    config = sim_config(load_config("default"))
    month = build(config, args.seed, poll)
    names = {e.id: e.matter for e in month.events}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("YUQING_SECRET", "simulation-only-7c1e9a4f2b6d8035e1c7a9f3b2d4e6a8")
        db = Database(f"sqlite:///{tmp}/replay.db")
        db.migrate()
        result = run_month(db, config, month, DAYS, poll)
        roles = departments(db, month)
        db.dispose()
    if args.json:
        print(json.dumps({"result": result, "roles": roles}, ensure_ascii=False, indent=1, default=sorted))
        return 0
    print(f"情景回放：{len(month.items)} 条信息（{DAYS} 天，另有 {WARMUP.days} 天预热；每 {poll.total_seconds() / 60:g} 分钟检测一次）")
    by_id = {d["event"]: d for d in result["details"]}
    for e in month.events:
        r = roles.get(e.id, {"主管": set(), "处置": set(), "通报": 0})
        lead = "、".join(sorted(r["主管"])) or "—"
        handle = "、".join(sorted(r["处置"])) or "—"
        if e.severity is None:
            print(f"  {names[e.id]}：不应预警；{'无预警 ✓' if not r['主管'] else f'误开预警（主管 {lead}）✗'}")
            continue
        d = by_id[e.id]
        print(f"  {names[e.id]}：{'按时预警 ✓' if d['warned'] else '未按时预警 ✗'}；级别 {d['grade'] or '—'}（应为 {e.severity}）；"
              f"主管 {lead}（应为 {'或'.join(sorted(e.owners))}），处置 {handle}（应为 {e.handler}）；"
              f"重复预警 {d['duplicates']} 条；记录官方通报 {r['通报']} 次")
        for kind, topic, place, grade, opened in d["warnings"]:
            print(f"      预警 {opened} {kind} 主题 {topic or '未归类'} 街道 {place or '—'} {grade}")
    false = result["false_warnings"]
    print(f"误报 {len(false)} 条" + ("：" if false else ""))
    for f in false:
        print(f"  {f['opened']} {f['kind']} {f['severity']} {f['title']}（{f['why']}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scripted events: the situations the analysis must find in the sample sites.

Texts are written by hand so the keyword rules of config/default/topics.yaml match them
(a subject word such as 暖气/供热 AND an event word such as 不热/室温/投诉), and every item
names its place (a street or one of its communities from places.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from yuqing.sample_sites.model import Reply, SampleItem, ago, weibo_title


@dataclass(frozen=True)
class EventSpec:
    id: str
    topic: str
    place: str
    severity: str        # expected minimum severity with the default detection settings
    kind: str            # spike | slow | critical | unanswered
    summary: str


SPECS = (
    EventSpec("heating-zhichu", "heating", "zhichu", "较大", "spike",
              "只楚街道葡萄山社区、只楚社区居民集中反映暖气不热，24小时内投诉激增"),
    EventSpec("elevator-xingfu", "property", "xingfu", "一般", "slow",
              "幸福街道福泰小区加装电梯停运，3天内陆续有居民反映"),
    EventSpec("gas-explosion", "safety", "tongshen", "重大", "critical",
              "通伸街道一饭店燃气泄漏引发爆炸，1人受伤"),
    EventSpec("unanswered-board", "cityorder", "baishi", "一般", "unanswered",
              "白石街道两条占道经营、噪音扰民留言8天、10天未回复"),
)

ZHICHU = "只楚街道办事处"

# (hours ago, poster, title, body)
HEATING_BOARD = (
    (22.5, "王先生", "葡萄山小区暖气不热",
     "我是只楚街道葡萄山社区葡萄山小区5号楼的居民，这两天降温，家里暖气一点都不热，室温只有13度。"
     "打供热公司电话一直占线，好不容易打通了说派人来看，到现在也没人来。家里有八十多岁的老人，请尽快处理！"),
    (19.0, "李女士", "只楚花园暖气温度太低",
     "只楚社区只楚花园12号楼，暖气片上面温乎下面冰凉，屋里穿着棉袄还冷，温度计显示室温15度。"
     "物业说是供热公司的事，供热公司说是物业的事，互相推诿没人管。"),
    (15.2, "孙先生", "葡萄山社区多栋楼暖气不热",
     "葡萄山社区3号楼、5号楼、7号楼好多户暖气都不热，业主群里都在说这个事。"
     "供暖费每平方米一分没少交，室温却只有十几度，希望有关部门督促供热公司马上排查。"),
    (12.4, "刘女士", "供热公司没人管，暖气不热",
     "只楚街道只楚新苑，从前天开始暖气就不热了，室温14度。给供热公司打了五六次电话，"
     "每次都说记下了，就是没人上门维修，这样的服务让人寒心。"),
    (9.8, "于先生", "家里室温只有十几度，孩子冻感冒了",
     "家住葡萄山社区，暖气不热已经好几天了，孩子晚上冻得睡不着，已经感冒发烧。"
     "邻居们都在投诉，可问题一直没解决，请领导重视！"),
    (7.5, "姜女士", "只楚社区老楼暖气不热，老人受不了",
     "只楚社区的老楼都是这两年才并网的，今年暖气一直不热，室温13、14度。楼里大多是老人，"
     "有的老人只能整天躺在被窝里。恳请只楚街道和供热公司尽快解决。"),
    (5.6, "曲先生", "暖气不热，投诉多次无果",
     "只楚街道葡萄山小区9号楼暖气不热，已经在热线投诉三次了，工单显示已处理，实际上根本没人来，室温还是15度。"),
    (4.1, "林女士", "所城新村暖气冰凉",
     "只楚街道所城社区所城新村，今天早上起来暖气片摸着冰凉，屋里室温只有12度，打电话问供热公司，说是管网检修，"
     "也没提前通知，什么时候能恢复也说不清。"),
    (3.0, "隋先生", "只楚街道暖气问题什么时候能解决",
     "只楚街道这边好几个小区暖气不热，网上都传开了。供热公司没人管，物业推诿，"
     "我们老百姓到底该找谁？请给个明确答复。"),
    (2.2, "宋女士", "只楚花园8号楼暖气不热",
     "只楚社区只楚花园8号楼，家里暖气不热，室温14度，孩子在家写作业都冻手。同楼的邻居也都一样，请尽快派人维修。"),
    (1.3, "迟先生", "再次反映葡萄山社区暖气不热问题",
     "昨天已经留言反映过葡萄山社区暖气不热，到现在还是没人管。室温只有十三四度，"
     "今晚又要降温，老人孩子怎么过？强烈要求供热公司给个说法！"),
    (0.6, "衣女士", "葡萄山小区暖气不热，室温13度",
     "葡萄山社区葡萄山小区11号楼，暖气从昨天开始不热，现在室温只有13度，电暖器开着也不管用，请相关部门尽快处理。"),
)
HEATING_REPLIES = {   # index in HEATING_BOARD -> (answered hours ago, reply)
    0: (4.0, "您好！您反映的问题已收悉。经只楚街道会同东城热力公司现场核实，葡萄山小区部分楼栋因换热站循环泵故障"
             "导致供热温度偏低，热力公司正在抢修，预计今日恢复正常。感谢您的理解和支持！"),
    1: (2.5, "您好！已转东城热力公司处理，热力公司将于今日安排人员入户排查，请保持电话畅通。"),
}

# A reply the district housing bureau (主管) publishes on the board after the warning opened:
# tests serve it with SampleSites.reply() for a later cycle. (title, 答复单位, 答复内容)
HEATING_LATER_REPLY = (
    "只楚街道暖气问题什么时候能解决", "芝罘区住房和城乡建设局",
    "您好！区住建局已责成东城热力公司对只楚街道供热管网和换热站逐一排查，受影响小区今日18时前恢复正常供暖，"
    "并将对供热质量开展专项督查。感谢您的监督！")

# (hours ago, screen name, text)
HEATING_WEIBO = (
    (20.3, "只楚老李", "只楚街道葡萄山社区这边暖气又不热了，室温14度，在家穿着羽绒服 #烟台供暖# @芝罘发布"),
    (13.7, "葡萄山下的小鱼", "葡萄山社区的暖气是摆设吗？摸着冰凉，打供热公司电话一直占线，根本没人管[怒]"),
    (10.2, "烟台暖冬", "只楚社区只楚花园这边整栋楼暖气不热，室温十五度，交了供暖费却挨冻，投诉也没用"),
    (6.8, "胶东阿花", "#烟台供暖# 只楚社区老楼暖气不热好几天了，我妈今年八十了，冻得直哆嗦，供热公司能不能管管"),
    (4.4, "只楚打工人", "下班回家室温13度，只楚街道这片暖气到底怎么回事？业主群里全在骂供热公司没人管"),
    (2.9, "芝罘小王同学", "转发一下：只楚街道葡萄山社区、只楚社区多个小区暖气不热，希望@芝罘发布 关注一下"),
    (1.6, "所城里的阿杰", "所城社区这边暖气也不热，室温12度，电热毯都开上了，今晚还要降温，怎么过？"),
    (0.8, "葡萄山小区业主", "暖气不热第三天了，打12345投诉，说已转供热公司，到现在还是没人来，只楚街道的朋友们你们家热吗？"),
)

# (hours ago, title, paragraphs)
HEATING_NEWS = (
    (6.2, "只楚街道多个小区居民反映暖气不热",
     ("近日，多位家住芝罘区只楚街道的居民向本网反映，葡萄山社区、只楚社区多个小区暖气不热，室内温度只有十三四度。",
      "记者来到葡萄山小区一户居民家中，温度计显示室温为14℃。居民王女士说，供热公司的热线很难打通，打通了也没人上门，“感觉没人管”。",
      "记者随后联系东城热力公司，工作人员表示，近期气温骤降，部分换热站设备出现故障，正在组织抢修。",
      "只楚街道办事处相关负责人表示，已安排工作人员逐户摸排，督促供热企业尽快解决，并将持续跟进。")),
    (1.9, "记者探访葡萄山社区：暖气仍不热 居民盼尽快解决",
     ("记者再次来到只楚街道葡萄山社区，不少居民反映家中暖气仍然不热。",
      "在葡萄山小区11号楼，70多岁的孙大爷家中室温只有13℃，老人裹着棉被坐在沙发上。“投诉了好几次，就是没人管。”",
      "据居民介绍，小区今年供暖以来一直温度偏低，这几天降温后问题更加突出。",
      "记者从区住建局了解到，该局已责成供热企业限期整改，并将对供热质量开展专项督查。")),
)

ELEVATOR = (   # (hours ago, site, author, title, body)
    (70.0, "board", "赵女士", "福泰小区加装电梯停运",
     "幸福街道福泰社区福泰小区6号楼去年加装的电梯，上周突然停运了，到现在也没人维修。"
     "楼里住的多是老人，这几天又只能爬楼。找物业说电梯不归他们管，找施工单位电话打不通。"),
    (46.0, "weibo", "幸福里王姐", "幸福街道福泰小区加装的电梯停运快一周了，老人只能爬六楼，物业和维保单位互相推，到底谁来维修？"),
    (20.0, "board", "高先生", "老旧小区加装电梯故障停运谁负责",
     "幸福街道幸福社区幸福新村3号楼加装电梯故障停运，业主们出资装的电梯，现在维保费谁出、找谁维修都说不清，请相关部门协调。"),
    (8.0, "weibo", "福泰小区居民", "#烟台# 老旧小区加装电梯是好事，可装完没人管也不行啊。幸福街道福泰社区的电梯停运好几天了，投诉也没回音"),
    (4.5, "news", "", "幸福街道一老旧小区加装电梯停运近一周 居民盼早日恢复",
     "近日，家住芝罘区幸福街道福泰社区福泰小区的居民反映，小区6号楼加装的电梯已停运近一周。\n"
     "记者在现场看到，电梯入口贴着“故障停运”的告示。居民赵女士说，楼里多是老年人，电梯停运后出门很不方便。\n"
     "据了解，该电梯去年由居民自筹资金加装，维保责任尚未明确。幸福街道办事处表示，已约谈施工和维保单位，尽快组织维修。"),
)

GAS = (6.0, "通伸街道一饭店发生燃气泄漏爆炸 1人受伤",
       ("记者从芝罘区应急管理局获悉，通伸街道南通路一家饭店后厨发生燃气泄漏，引发爆炸，事故造成1人受伤。",
        "记者赶到现场时看到，饭店门窗玻璃被震碎，部分碎片散落在人行道上，消防救援人员已完成现场处置。",
        "据现场目击者介绍，事发时饭店尚未开始营业，一名厨师在后厨准备食材，受伤后被送往医院救治，目前无生命危险。",
        "区应急管理局、通伸街道办事处工作人员第一时间赶到现场，对周边商户燃气设施开展排查，事故原因正在进一步调查中。"))

UNANSWERED = (   # (full days ago, extra hours, poster, title, body)
    (10, 1.5, "张先生", "金沟寨路夜市占道经营噪音扰民",
     "白石街道金沟寨社区金沟寨路两侧每天晚上都有几十个摊位占道经营，一直摆到凌晨一两点，"
     "喇叭叫卖声、喝酒划拳声吵得我们根本睡不着。烧烤油烟也很大，希望综合执法部门管一管。"),
    (8, 2.7, "周女士", "白石花园楼下商铺噪音扰民",
     "白石街道白石社区白石花园楼下的几家商铺晚上把桌子摆到人行道上占道经营，音响开得很大，"
     "每天闹到半夜，噪音扰民严重，多次打电话反映没有效果，恳请尽快处理。"),
)


def event_items(now: datetime) -> dict[str, list[SampleItem]]:
    """Items of every scripted event, keyed by event id (paths are assigned later)."""
    heat: list[SampleItem] = []
    for i, (hours, poster, title, body) in enumerate(HEATING_BOARD):
        reply = None
        if i in HEATING_REPLIES:
            at, text = HEATING_REPLIES[i]
            reply = Reply(ZHICHU, ago(now, at), text)
        heat.append(_item("board", title, ago(now, hours), body, "heating-zhichu", poster,
                          department=ZHICHU, reply=reply))
    for hours, name, text in HEATING_WEIBO:
        heat.append(_item("weibo", weibo_title(text), ago(now, hours), text, "heating-zhichu", name))
    for hours, title, paras in HEATING_NEWS:
        heat.append(_item("news", title, ago(now, hours), "\n".join(paras), "heating-zhichu", "记者 鞠文博"))

    elevator = []
    for hours, site, author, title, *body in ELEVATOR:
        text = body[0] if body else title
        if site == "weibo":
            title = weibo_title(text)
        elevator.append(_item(site, title, ago(now, hours), text, "elevator-xingfu",
                              author or "记者 战欣然", department="幸福街道办事处"))

    hours, title, paras = GAS
    gas = [_item("news", title, ago(now, hours), "\n".join(paras), "gas-explosion", "记者 栾振华")]

    unanswered = [_item("board", title, ago(now, days * 24 + hours), body, "unanswered-board", poster,
                        department="白石街道办事处")
                  for days, hours, poster, title, body in UNANSWERED]
    return {"heating-zhichu": heat, "elevator-xingfu": elevator, "gas-explosion": gas,
            "unanswered-board": unanswered}


def _item(site: str, title: str, when: datetime, text: str, event_id: str, author: str,
          department: str = "", reply: Reply | None = None) -> SampleItem:
    spec = next(s for s in SPECS if s.id == event_id)
    kind = {"board": "message", "weibo": "post"}.get(site, "article")
    return SampleItem(site=site, kind=kind, title=title, published_at=when, text=text,
                      event_id=event_id, topic=spec.topic, place=spec.place, negative=True,
                      author=author, source="烟台民生网" if site == "news" else "",
                      department=department, reply=reply,
                      column={"board": "投诉", "news": "烟台", "weibo": "citizen"}[site])

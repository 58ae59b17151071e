"""Labelled training texts for the topic classifier, composed from analysis.topic_phrases.

`examples(seed, per_topic)` returns (text, topic_id) pairs, with topic_id OTHER_LABEL for
items no topic owns. Each text is one of the shapes a monitored feed carries — a resident's
board message (often with a title), a Weibo post, a news report under a headline, a 12345
work-order summary, an incident report or an official notice — put together from an opener,
a place, a time, one to three troubles of the matter (or an incident, or an official
action), topic-neutral filler and a closer. So the classifier sees each matter in many
wordings and learns that openers, places, fillers and closers say nothing about the topic.
`banks` lets cross-validation compose from part of each bank (analysis.topic_train).
Deterministic for a seed: the bundled model is rebuilt byte for byte.
"""

from __future__ import annotations

import random

from yuqing.analysis.topic_other import EVERYDAY, other_text
from yuqing.analysis.topic_phrases import BANKS, CLOSERS, OPENERS, OTHER, SCENES, SETTINGS, TIMES

OTHER_LABEL = "other"
OTHER_POOL = OTHER + [x for x in EVERYDAY if x not in OTHER]
OTHER_PER_TOPIC = 2              # "other" is every matter no topic owns: twice a topic's texts
PLACES = ["只楚街道", "幸福街道", "向阳街道", "东山街道", "毓璜顶街道", "通伸街道", "凤凰台街道", "奇山街道",
          "白石街道", "芝罘岛街道", "黄务街道", "世回尧街道", "葡萄山社区", "南山路", "西大街", "胜利路",
          "环山路", "我们小区", "我家楼下", "红旗中路", "芝罘区", "建设路", "幸福南路", "只楚路", "",
          "锦绣花园", "海韵小区", "3号楼", "东方新城", "老年公寓旁边", "市场附近", "单位门口", ""]
# Who speaks for each matter in official notices; the names are signal, as in real notices.
SPEAKERS = {
    "heating": ["区住建局", "区供热办", "热力公司"], "education": ["区教体局", "区教育和体育局"],
    "property": ["区住建局", "街道办事处"], "cityorder": ["区综合行政执法局", "区城管执法大队"],
    "medical": ["区卫健局", "区卫生健康局"], "employment": ["区人社局", "区劳动保障监察大队"],
    "foodsafety": ["区市场监管局"], "safety": ["区应急管理局", "区消防救援大队"],
    "roads": ["区住建局", "区市政中心"], "traffic": ["区交通运输局", "公交集团"],
    "parking": ["区综合行政执法局", "交警芝罘大队"], "utilities": ["自来水公司", "燃气公司", "供电公司"],
    "environment": ["生态环境局芝罘分局"], "eldercare": ["区民政局"], "socialassist": ["区民政局", "区残联"],
    "housing": ["区住建局", "区房屋征收中心"], "consumer": ["区市场监管局", "区消费者协会"],
    "medinsurance": ["区医保局", "区医疗保障局"], "petition": ["区信访局"],
    "govservice": ["区政府办公室", "区政务服务中心", "12345热线"], "rumor": ["区委网信办", "公安芝罘分局"],
}
# Said of any matter: they must weigh nothing.
FILLERS = ["打电话也没人接", "找了好几次都没人管", "已经一个多月了", "家里老人孩子都受影响", "邻居们意见都很大",
           "反映过好几次了", "拍了照片发到群里", "问了社区说不归他们管", "大家都很着急", "不知道该找谁",
           "每次都说马上处理", "到现在也没个说法", "实在没办法才来这里说", "附近好几个小区都这样",
           "住了十几年头一回遇到", "记者现场看到确实如此", "多位居民证实了这一情况", "有居民拍下了视频",
           "这种情况已经持续很久", "不少网友留言说也遇到过",
           # local people name other places in passing: that alone must not make it elsewhere news
           "儿子在青岛上班顾不上家里", "刚从济南看病回来就碰上这事", "在北京工作的女儿打电话来问",
           "老家在潍坊逢年过节才回去", "比上海的物价都高"]
HOTLINE = ["市民来电反映：", "来电人反映，", "诉求内容：", "网友留言：", "群众来信反映，", "【工单摘要】", "反映人称，",
           "市民致电称，", "接市民电话反映："]
HOTLINE_ENDS = ["，要求有关部门尽快处理。", "，希望尽快解决。", "，请相关部门核实。", "。"]


def _fill(template: str, rng: random.Random, things: list[str]) -> str:
    return template.replace("{x}", rng.choice(things)) if "{x}" in template else template


def _troubles(bank, rng: random.Random, k: int) -> list[str]:
    troubles = bank["troubles"]
    return [_fill(t, rng, bank["things"]) for t in rng.sample(troubles, k=min(len(troubles), k))]


def _compose(topic: str, bank: dict[str, list[str]], rng: random.Random) -> str:
    place, when = rng.choice(PLACES), rng.choice(TIMES)
    roll = rng.random()
    if roll < 0.10 and bank["incidents"]:
        channel = rng.choice(["news", "weibo"])
        opener = rng.choice(OPENERS[channel]).replace("{place}", rng.choice(PLACES) or "本地")
        body = f"{place}{_fill(rng.choice(bank['incidents']), rng, bank['things'])}"
        return f"{opener}{body}，{rng.choice(CLOSERS[channel])}".rstrip("，")
    if roll < 0.25:
        speaker = rng.choice(SPEAKERS.get(topic, ["区政府"]))
        opener = rng.choice(OPENERS["official"]).replace("{dept}", speaker)
        return f"{opener}{_fill(rng.choice(bank['official']), rng, bank['things'])}，{rng.choice(CLOSERS['official'])}"
    if roll < 0.33:                 # a 12345 work order: plain summary of one or two troubles
        body = "，".join(_troubles(bank, rng, rng.choice([1, 2])))
        return f"{rng.choice(HOTLINE)}{place}{body}{rng.choice(HOTLINE_ENDS)}"
    if roll < 0.43:                 # a short post: one trouble, maybe a filler
        text = _troubles(bank, rng, 1)[0]
        if rng.random() < 0.5:
            text = f"{text}，{rng.choice(FILLERS)}"
        return f"{rng.choice(OPENERS['weibo'])}{text}"
    channel = rng.choice(["board", "board", "weibo", "news"])
    parts = _troubles(bank, rng, rng.choice([1, 1, 2, 3]))
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(FILLERS))
    body = f"{place}{when}" + "，".join(parts)
    opener = rng.choice(OPENERS[channel]).replace("{place}", rng.choice(PLACES) or "本地")
    text = f"{opener}{body}，{rng.choice(CLOSERS[channel])}".rstrip("，")
    if channel in ("board", "news") and rng.random() < 0.5:
        title = rng.choice(bank["titles"]) if bank["titles"] and rng.random() < 0.6 else _troubles(bank, rng, 1)[0]
        text = f"{title}\n{text}"
    return text


def _other(rng: random.Random, pool: list[str], banks: dict) -> str:
    if rng.random() < 0.5:            # news from elsewhere, sport, ads, national news… (topic_other)
        return other_text(rng, banks, pool)
    channel = rng.choice(["weibo", "news"])
    text = rng.choice(pool)
    if rng.random() < 0.3:
        text = rng.choice(SCENES).replace("{e}", rng.choice(SETTINGS))
    if rng.random() < 0.5:
        text = f"{text}，{rng.choice(pool)}"
    elif rng.random() < 0.3:
        text = f"{text}，{rng.choice(FILLERS)}"
    return f"{rng.choice(OPENERS[channel]).replace('{place}', '')}{text}"


def split_banks(folds: int, fold: int) -> tuple[dict, dict, list[str], list[str]]:
    """(train banks, held banks, train other, held other): every `folds`-th phrase of each list
    (from offset `fold`) held out, so validation texts use troubles the model never saw."""
    def part(xs, held):
        return [x for i, x in enumerate(xs) if (i % folds == fold) == held] or list(xs)

    train, held = {}, {}
    for topic, bank in BANKS.items():
        train[topic] = {k: (v if k == "things" else part(v, False)) for k, v in bank.items()}
        held[topic] = {k: (v if k == "things" else part(v, True)) for k, v in bank.items()}
    return train, held, part(OTHER_POOL, False), part(OTHER_POOL, True)


def examples(seed: int = 13, per_topic: int = 160, banks: dict | None = None,
             other: list[str] | None = None) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    banks = banks or BANKS
    out = []
    for topic in sorted(banks):
        out += [(_compose(topic, banks[topic], rng), topic) for _ in range(per_topic)]
    out += [(_other(rng, other or OTHER_POOL, banks), OTHER_LABEL)
            for _ in range(OTHER_PER_TOPIC * per_topic)]
    return out

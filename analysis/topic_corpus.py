"""Labelled training texts for the topic classifier, composed from analysis.topic_phrases.

`examples(seed, per_topic)` returns (text, topic_id) pairs, with topic_id OTHER_LABEL for
items no topic owns. Each text is a resident's board message, a Weibo post, a news report or
an official notice put together from an opener, a place, a time, one or two troubles (or an
incident, or an official action) and a closer — so the classifier sees each matter in many
wordings and learns that openers, places and closers say nothing about the topic.
Deterministic for a seed: the bundled model is rebuilt byte for byte.
"""

from __future__ import annotations

import random

from yuqing.analysis.topic_phrases import BANKS, CLOSERS, OPENERS, OTHER, TIMES

OTHER_LABEL = "other"
PLACES = ["只楚街道", "幸福街道", "向阳街道", "东山街道", "毓璜顶街道", "通伸街道", "凤凰台街道", "奇山街道",
          "白石街道", "芝罘岛街道", "黄务街道", "世回尧街道", "葡萄山社区", "南山路", "西大街", "胜利路",
          "环山路", "我们小区", "我家楼下", "红旗中路", "芝罘区", "建设路", "幸福南路", "只楚路", ""]
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


def _fill(template: str, rng: random.Random, things: list[str]) -> str:
    return template.replace("{x}", rng.choice(things)) if "{x}" in template else template


def _compose(topic: str, bank: dict[str, list[str]], rng: random.Random) -> str:
    things = bank["things"]
    place, when = rng.choice(PLACES), rng.choice(TIMES)
    roll = rng.random()
    if roll < 0.12 and bank["incidents"]:
        channel = rng.choice(["news", "weibo"])
        body = f"{place}{_fill(rng.choice(bank['incidents']), rng, things)}"
    elif roll < 0.27:
        speaker = rng.choice(SPEAKERS.get(topic, ["区政府"]))
        opener = rng.choice(OPENERS["official"]).replace("{dept}", speaker)
        return f"{opener}{_fill(rng.choice(bank['official']), rng, things)}，{rng.choice(CLOSERS['official'])}"
    else:
        channel = rng.choice(["board", "board", "weibo", "news"])
        troubles = rng.sample(bank["troubles"], k=min(len(bank["troubles"]), rng.choice([1, 1, 2])))
        body = f"{place}{when}" + "，".join(_fill(t, rng, things) for t in troubles)
    opener = rng.choice(OPENERS[channel]).replace("{place}", rng.choice(PLACES) or "本地")
    return f"{opener}{body}，{rng.choice(CLOSERS[channel])}".rstrip("，")


def _other(rng: random.Random) -> str:
    channel = rng.choice(["weibo", "news"])
    text = rng.choice(OTHER)
    if rng.random() < 0.5:
        text = f"{text}，{rng.choice(OTHER)}"
    return f"{rng.choice(OPENERS[channel]).replace('{place}', '')}{text}"


def examples(seed: int = 13, per_topic: int = 160) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for topic in sorted(BANKS):
        out += [(_compose(topic, BANKS[topic], rng), topic) for _ in range(per_topic)]
    out += [(_other(rng), OTHER_LABEL) for _ in range(per_topic)]
    return out

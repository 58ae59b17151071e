"""A sample-site-like week, built with the factories and real detection.

The scripted event: heating complaints spike in 只楚街道 (zhichu) on a December morning; one
news story about it is copied by several sites. Around it, ordinary noise in other topics and
places, and a smaller education spike in 向阳街道 that belongs to other departments.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select

from yuqing.alerts import respond
from yuqing.alerts.detect import detect
from yuqing.analysis.event_rebuild import group_ungrouped
from yuqing.storage.models import Mention, Story, Warning
from tests.factories import add_mention
from yuqing.timeutil import SHANGHAI

AT = datetime(2024, 12, 12, 10, 0, tzinfo=SHANGHAI)      # Thursday of 2024-W50
WEEK = "2024-W50"
HEATING_TITLES = [
    "只楚幸福小区暖气不热 电话13912345678", "只楚街道供热公司电话打不通，暖气片冰凉",
    "只楚新村暖气不热老人孩子冻得睡不着", "只楚街道多个小区暖气不热 供热公司称管网检修",
    "只楚街道居民：交了取暖费暖气还是凉的", "只楚街道暖气不热问题谁来管",
    "只楚街道暖气不热已经三天了", "只楚街道供热不达标 居民盼解决",
]
NEWS_TITLE = "只楚街道多处小区供暖不达标 居民呼吁尽快解决"
NOISE = {"heating": ("居民反映暖气时冷时热", "供热公司开展入户测温"),
         "education": ("家长咨询学校报名材料", "学校开展家长开放日活动"),
         "cityorder": ("路边占道经营影响通行", "街道开展市容环境整治")}


@contextmanager
def clock_at(at: datetime):
    """Pin yuqing.timeutil.now() (YUQING_NOW), so recorded events carry the scenario's times."""
    before = os.environ.get("YUQING_NOW")
    os.environ["YUQING_NOW"] = at.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("YUQING_NOW", None)
        else:
            os.environ["YUQING_NOW"] = before


def _noise(db, topic, place, days=15, per_day=0.5, at=AT, negative=True):
    step = timedelta(days=1 / per_day)
    t = at - timedelta(days=1, hours=3)
    while t > at - timedelta(days=days):
        add_mention(db, when=t, topic=topic, place=place, negative=negative,
                    title=f"{NOISE[topic][0 if negative else 1]}（{t:%m月%d日}）",
                    content="希望有关部门关注" if negative else "有关部门已经了解情况")
        t -= step


def heating_event(db, config, at: datetime = AT) -> dict[str, int]:
    """Store the week and run detection; returns the warning ids by topic."""
    _noise(db, "heating", "zhichu")
    _noise(db, "education", "xiangyang")
    _noise(db, "cityorder", "baishi", negative=False)
    for i, title in enumerate(HEATING_TITLES):
        add_mention(db, when=at - timedelta(minutes=20 + 40 * i), topic="heating", place="zhichu",
                    title=title, content=f"联系电话13812345678，室温只有十五度，供热公司没人管（{i}）")
    # seven complaints against a baseline of one every other day: a clear 一般 spike under the
    # shipped severity table (five would be a 3.6-sigma Poisson tail, below its 4.0)
    for i in range(7):
        add_mention(db, when=at - timedelta(minutes=30 + 50 * i), topic="education",
                    place="xiangyang", title=f"向阳街道学校划片入学不公平（{i}）",
                    content="学区划分不合理，家长很着急")
    origin = add_mention(db, when=at - timedelta(hours=5), topic="heating", place="zhichu",
                         source="news", kind="article", title=NEWS_TITLE,
                         content="记者走访发现，只楚街道多个小区室温不足十八度，供热公司称正在排查管网。")
    with db.session() as s:
        story_id = s.get(Mention, origin).story_id
    copies = [add_mention(db, when=at - timedelta(hours=4, minutes=10 * i), topic="heating",
                          place="zhichu", source=src, kind="article", title=NEWS_TITLE,
                          content="转载：只楚街道多个小区室温不足十八度。", story=False)
              for i, src in enumerate(("weibo", "wechat", "news2"))]
    with db.session() as s:
        for mention_id in copies:
            s.get(Mention, mention_id).story_id = story_id
        s.get(Story, story_id).copies = 1 + len(copies)
    group_ungrouped(db, config)              # analysis groups what it analyses into events
    with clock_at(at):
        detect(db, config, at)
    with db.session() as s:
        return {w.topic_id: w.id for w in s.scalars(select(Warning))}


def answer_heating(db, config, warning_id: int, at: datetime = AT) -> None:
    """区住建局 acknowledges within the hour and responds publicly the next morning;
    只楚街道 acknowledges late and reports its handling after; the education warning is
    left unanswered."""
    with clock_at(at + timedelta(minutes=40)):
        respond.acknowledge(db, config, warning_id, "住建局值班员", "zhujian", at=at + timedelta(minutes=40))
    with clock_at(at + timedelta(hours=10)):
        respond.acknowledge(db, config, warning_id, "只楚街道值班员", "zhichu", at=at + timedelta(hours=10))
    with clock_at(at + timedelta(hours=20)):
        respond.respond(db, config, warning_id, "住建局值班员", "zhujian",
                        "已督促供热企业排查管网，只楚街道各小区室温已恢复至18度以上。",
                        "http://sample.test/zhujian/notice-1.html", at=at + timedelta(hours=20))
    with clock_at(at + timedelta(hours=22)):
        respond.respond(db, config, warning_id, "只楚街道值班员", "zhichu",
                        "已入户核查，受影响小区已恢复供暖。", at=at + timedelta(hours=22))

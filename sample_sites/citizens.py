"""Ordinary board messages and Weibo posts: the low, steady baseline of complaints and chatter.

Complaints cycle through the topics so that no topic gets two on one day from one site;
board messages older than four days are always answered (only the scripted ones linger).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from yuqing.sample_sites import texts_people as tp
from yuqing.sample_sites.content import choose_street, place_of, rng_for, slots
from yuqing.sample_sites.texts_gov import for_variant
from yuqing.sample_sites.model import Reply, SampleItem, at_day, local_now, spread_days, weibo_title
from yuqing.sample_sites.vocab import DEPTS, TOPIC_DEPT, WEIBO_CITIZENS, surname_x

BOARD_COMPLAINTS = 24          # three per topic, one per template variant
GOV_SHARES = 18                # 芝罘发布 shares of 政府要闻 articles
ANSWERED_AFTER_DAYS = 4
GOV_ACCOUNT = "芝罘发布"
# topics whose complaints go to the street office (属地) rather than the department
LOCAL_TOPICS = {"heating", "property", "safety", "cityorder"}


def topic_cycle(rng: random.Random, count: int) -> list[str]:
    """Topics in shuffled rounds, never the same topic twice in a row."""
    topics = list(tp.COMPLAINTS)
    out: list[str] = []
    while len(out) < count:
        round_ = topics[:]
        rng.shuffle(round_)
        if out and round_[0] == out[-1]:
            round_.reverse()
        out += round_
    return out[:count]


def board_items(now: datetime) -> list[SampleItem]:
    rng = rng_for("board")
    plan: list[tuple[str | None, tuple | None]] = [(t, None) for t in topic_cycle(rng, BOARD_COMPLAINTS)]
    plan += [(None, m) for m in tp.OTHER_MESSAGES]
    rng.shuffle(plan)
    days = spread_days(rng, len(plan))
    used: dict[str, int] = {}
    items: list[SampleItem] = []
    seen: set[str] = set()
    for (topic, other), day in zip(plan, days):
        when = at_day(now, day, rng.randint(7, 23), rng.randint(0, 59))
        st = choose_street(rng, topic, day)
        values = slots(rng, when, st)
        if topic:
            titles, openings, details = tp.COMPLAINTS[topic]
            variant = used.get(topic, rng.randrange(len(titles))) % len(titles)
            used[topic] = variant + 1
            title = titles[variant].format_map(values)
            pool = for_variant(details, variant)
            body = [openings[variant]] + rng.sample(pool, min(len(pool), rng.randint(1, 2))) + [rng.choice(tp.REQUESTS)]
            text = "".join(body).format_map(values)
            category = "投诉"
        else:
            category, title, text = (s.format_map(values) for s in other)
        if title in seen:
            title = st.name + title
        seen.add(title)
        dept = st.office if topic in LOCAL_TOPICS or topic is None else DEPTS[TOPIC_DEPT[topic]][0]
        items.append(SampleItem(
            site="board", kind="message", title=title, published_at=when, text=text, topic=topic,
            place=place_of(text + title, st), negative=topic is not None, author=surname_x(rng, rng.choice(("先生", "女士"))),
            department=dept, column=category, reply=_reply(rng, now, when, day, topic, dept, values)))
    return items


def _reply(rng, now, when, day, topic, dept, values) -> Reply | None:
    delay = timedelta(hours=rng.randint(18, 70), minutes=rng.randint(0, 59))
    at = when + delay
    answered = day >= ANSWERED_AFTER_DAYS or rng.random() < 0.5
    if not answered or at > local_now(now) - timedelta(minutes=30):
        return None
    fix = tp.REPLY_FIX[topic].format_map({**values, "office": dept})
    text = rng.choice(tp.REPLY_OPEN) + fix + rng.choice(tp.REPLY_CLOSE)
    return Reply(dept, at.replace(second=0), text)


def weibo_items(now: datetime, portal: list[SampleItem]) -> list[SampleItem]:
    rng = rng_for("weibo")
    plan = [(GOV_ACCOUNT, topic, False, text) for topic, text in tp.GOV_WEIBO]
    plan += [(None, topic, negative, text) for topic, negative, text in tp.CITIZEN_WEIBO]
    rng.shuffle(plan)
    names = list(WEIBO_CITIZENS)
    rng.shuffle(names)
    items: list[SampleItem] = []
    for i, ((account, topic, negative, template), day) in enumerate(zip(plan, spread_days(rng, len(plan)))):
        when = at_day(now, day, rng.randint(7, 23), rng.randint(0, 59), rng.randint(0, 59))
        st = choose_street(rng, topic, day)
        values = slots(rng, when, st)
        text = template.format_map(values)
        author = account or names[i % len(names)]
        items.append(SampleItem(
            site="weibo", kind="post", title=weibo_title(text), published_at=when, text=text, topic=topic,
            place=place_of(text, st), negative=negative, author=author,
            column="official" if account else "citizen"))
    return items + shares(now, portal, rng)


def shares(now: datetime, portal: list[SampleItem], rng: random.Random) -> list[SampleItem]:
    """芝罘发布 posts linking 政府要闻 articles an hour or few after they appear."""
    news = sorted((i for i in portal if i.column == "zfyw"), key=lambda i: i.published_at)
    latest = local_now(now) - timedelta(minutes=10)
    out = []
    for original in rng.sample(news, min(GOV_SHARES, len(news))):
        lead = original.paragraphs[0]
        lead = lead if len(lead) <= 90 else lead[:90]
        text = tp.SHARE.format(title=original.title, lead=lead)
        when = original.published_at + timedelta(minutes=rng.randint(40, 240))
        when = max(original.published_at, min(when, latest)).replace(microsecond=0)
        out.append(SampleItem(
            site="weibo", kind="post", title=weibo_title(text), published_at=when, text=text,
            topic=original.topic, place=original.place, author=GOV_ACCOUNT, column="official",
            original=original))
    return out

"""Ordinary items of the portal and the news site, generated from templates.

Everything is drawn from random generators seeded with a fixed seed, so the text is the same
on every run; only the dates move with `now`. Ordinary items never use the topic×place pair
of a scripted event in the last two weeks, so the events stand out from the baseline.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from yuqing.sample_sites import texts_gov, texts_news
from yuqing.sample_sites.model import SEED, SampleItem, at_day, local_now, spread_days
from yuqing.sample_sites.vocab import (
    DEPTS, HEAT_COMPANY, HOSPITALS, MARKETS, SCHOOLS, STREETS, Street, heating_season, md, person,
)

# topic -> place of a scripted event: ordinary items avoid the pair within QUIET_DAYS
EVENT_PAIRS = {"heating": "zhichu", "property": "xingfu", "safety": "tongshen", "cityorder": "baishi"}
QUIET_DAYS = 14
CN_NUM = "一二三四五六七八九十"


def rng_for(name: str) -> random.Random:
    return random.Random(f"{SEED}:{name}")


def choose_street(rng: random.Random, topic: str | None, days_ago: int) -> Street:
    avoid = (EVENT_PAIRS[topic],) if topic in EVENT_PAIRS and days_ago < QUIET_DAYS else ()
    return rng.choice([s for s in STREETS.values() if s.id not in avoid])


def slots(rng: random.Random, when: datetime, st: Street) -> dict[str, object]:
    """Every placeholder the templates use; always draws the same amount of randomness."""
    compounds = rng.sample(st.compounds, 2)
    roads = rng.sample(st.roads, 2)
    later = [when + timedelta(days=rng.randint(2, 5)), when + timedelta(days=rng.randint(8, 15))]
    values = dict(
        date=md(when), date2=md(later[0]), date3=md(later[1]), year=when.year, year1=when.year + 1,
        month=when.month, month0=max(when.month - 1, 1), m0=rng.randint(3, max(when.month - 2, 4)),
        season=heating_season(when), street=st.name, community=rng.choice(st.communities),
        compound=compounds[0], compound2=compounds[1], road=roads[0], road2=roads[1],
        school=rng.choice(SCHOOLS), hospital=rng.choice(HOSPITALS), market=rng.choice(MARKETS),
        hcompany=HEAT_COMPANY, official=person(rng), person=person(rng), person2=person(rng),
        reporter=person(rng), n=rng.randint(3, 9), n2=rng.randint(30, 280), n3=rng.randint(4, 12),
        n4=rng.randint(3, 8), n5=rng.randint(10, 60), n6=rng.randint(12, 60), big=rng.randint(1200, 9800),
        big3=rng.randint(300, 1500), area=rng.randint(800, 4800), km=round(rng.uniform(1.2, 9.5), 1),
        temp=rng.randint(19, 22), low=rng.randint(12, 16), pct=round(rng.uniform(3, 28), 1),
        pct9=round(rng.uniform(98, 99.8), 1), money=round(rng.uniform(6, 60), 1),
        money2=rng.randint(50, 900), age=rng.randint(31, 48), age2=rng.randint(29, 45),
        hour=rng.choice((8, 9)), hour2=rng.choice((16, 17, 18)), tel=rng.randint(10000, 99999),
        batch=CN_NUM[rng.randint(0, 3)], late=rng.choice((11, 12)), lo=rng.randint(-8, 2),
        hi=rng.randint(3, 9), wind=rng.choice(("3到4", "4到5", "5到6")),
        weather=rng.choice(("晴", "多云", "晴转多云", "阴转小雪")),
        company=rng.choice(texts_gov.COMPANIES), doc=rng.choice(texts_gov.DOCS),
        reason=rng.choice(texts_gov.REASONS),
    )
    values["project"] = rng.choice(texts_gov.PROJECTS).format_map(values)
    return values


def render(rng: random.Random, t: texts_gov.T, values: dict, lead: str = "") -> tuple[str, list[str]]:
    variant = rng.randrange(len(t.titles))      # titles, leads and tagged paragraphs go together
    title = t.titles[variant].format_map(values)
    paras = [lead + t.leads[variant % len(t.leads)].format_map(values)]
    body = texts_gov.for_variant(t.body, variant)
    chosen = sorted(rng.sample(range(len(body)), min(t.k, len(body))))   # keep the template's order
    paras += [body[i].format_map(values) for i in chosen]
    if t.tail:
        paras.append(rng.choice(t.tail))
    return title, paras


def place_of(text: str, st: Street) -> str | None:
    """The place hint is set only when the text actually names the street or a community."""
    return st.id if st.name in text or any(c in text for c in st.communities) else None


def _unique(rng: random.Random, seen: set[str], make):
    """Redraw a templated item until its title is new (a handful of tries at most)."""
    for _ in range(8):
        result = make()
        if result[0] not in seen:
            break
    seen.add(result[0])
    return result


def portal_items(now: datetime) -> list[SampleItem]:
    items: list[SampleItem] = []
    for column, templates in (("zfyw", texts_gov.NEWS), ("tzgg", texts_gov.NOTICES)):
        rng = rng_for(f"portal-{column}")
        plan = [t for t in templates for _ in range(t.uses)]
        rng.shuffle(plan)
        seen: set[str] = set()
        for t, days in zip(plan, spread_days(rng, len(plan))):
            when = at_day(now, days, rng.randint(8, 17), rng.randint(0, 59))
            st = choose_street(rng, t.topic, days)

            def make(t=t, when=when, st=st):
                values = slots(rng, when, st)
                return (*render(rng, t, values), values)
            title, paras, values = _unique(rng, seen, make)
            office = st.office if t.dept == "street" else DEPTS[t.dept][0]
            if column == "tzgg":
                paras += [f"芝罘区{office.removeprefix('区')}" if office.startswith("区") else office,
                          f"{when.year}年{when.month}月{when.day}日"]
            attachment = ""
            if t.attach and rng.random() < 0.7:
                attachment = rng.choice(t.attach).format_map(values)
            text = "\n".join(paras)
            items.append(SampleItem(
                site="portal", kind="article", title=title, published_at=when, text=text,
                topic=t.topic, place=place_of(text, st), author=values["person"], column=column,
                source=office if t.dept == "street" else DEPTS[t.dept][1], department=office,
                attachment=attachment))
    return items


def news_items(now: datetime, portal: list[SampleItem]) -> list[SampleItem]:
    rng = rng_for("news")
    plan = [(t, None) for t in texts_news.NEWS for _ in range(t.uses)]
    plan += [(None, qa) for qa in texts_news.QA_NEWS]
    rng.shuffle(plan)
    items: list[SampleItem] = []
    seen: set[str] = set()
    for (t, qa), days in zip(plan, spread_days(rng, len(plan))):
        when = at_day(now, days, rng.randint(6, 21), rng.randint(0, 59), rng.randint(0, 59))
        topic = qa[0] if qa else None
        st = choose_street(rng, topic, days)
        values = slots(rng, when, st)
        lead = texts_news.NEWS_LEAD.format_map(values)
        if qa:
            title, paras = qa[1].format_map(values), [lead + qa[2].format_map(values), qa[3].format_map(values)]
            seen.add(title)
        else:
            title, paras, _ = _unique(rng, seen, lambda t=t: (*render(rng, t, values, lead), None))
        text = "\n".join(paras)
        items.append(SampleItem(
            site="news", kind="article", title=title, published_at=when, text=text, topic=topic,
            place=place_of(text, st), negative=bool(qa),
            author=f"记者 {values['reporter']}", source="烟台民生网", column=texts_news.NEWS_CHANNEL))
    items += reprints(now, portal, rng)
    return items


def reprints(now: datetime, portal: list[SampleItem], rng: random.Random, count: int = 4) -> list[SampleItem]:
    """News stories copied from 政府要闻 with small edits: own dateline, 我区 -> 芝罘区, new title."""
    limit = local_now(now) - timedelta(days=2)
    pool = [i for i in portal if i.column == "zfyw" and i.published_at < limit and i.topic not in EVENT_PAIRS
            and len(i.paragraphs) >= 3]
    pool.sort(key=lambda i: i.published_at)
    out = []
    for original in rng.sample(pool, min(count, len(pool))):
        paras = [p.replace("我区", "芝罘区") for p in original.paragraphs]
        reporter = person(rng)
        paras[0] = f"烟台民生网讯（通讯员 {reporter}）" + paras[0]
        title = original.title.replace("我区", "芝罘区")
        if title == original.title:
            title = "芝罘：" + title
        when = original.published_at + timedelta(hours=rng.randint(3, 20), minutes=rng.randint(0, 59))
        out.append(SampleItem(
            site="news", kind="article", title=title, published_at=when, text="\n".join(paras),
            topic=original.topic, place=original.place, author=f"通讯员 {reporter}", source="烟台民生网",
            column=texts_news.NEWS_CHANNEL, original=original))
    return out

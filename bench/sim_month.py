"""A seeded generator of varied months of 芝罘区 public opinion, as raw collected items.

`generate(seed, config, days)` draws, from the phrase banks in sim_phrases (never from the
topic keyword lists), a month on four sources like a new user's — a news site, the
government portal, a Weibo keyword feed, a message board — with:

- background: complaints on every matter in every street at low rates, neutral local news,
  government notices and campaigns (some relayed by the news site), praise, board messages
  that get their reply within days;
- scripted events, each on a matter whose departments are known (the right 主管) in a random
  street (the right 处置), one of the shapes: spike (small or large), slow burn, reprint
  wave, critical single item (with the government's 通报 the next morning), unanswered board
  message (with a follow-up), and two that must not warn — a positive spike and an official
  campaign. Each has an expected grade and a deadline.

Items carry publication and collection times; the simulation feeds them to the real
analysis and detection stages as they are collected.

The wording comes from a phrase bank: `phrases="default"` (bench/sim_phrases.py, written with
the thresholds) or `phrases="blind"` / `"blind2"` (bench/sim_phrases_blind.py, bench/sim_phrases_blind2.py,
each written separately by someone who saw neither the other banks nor the topic rules; `"blind3"`,
bench/sim_phrases_blind3.py, is a fourth written the same way, and `"blind4"`,
bench/sim_phrases_blind4.py, a fifth). A bank may also carry the
connecting wording that the default bank leaves to this module (news frames, notice bodies,
the critical shape's posts, ...); where it does not, the default wording below is used, so the
default bank's months are unchanged.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

START = datetime(2025, 1, 6, 0, 0, tzinfo=timezone.utc)          # 08:00 in Shanghai, a Monday
WARMUP = timedelta(days=14)
SOURCES = [  # id, name, kind, authority, collection delay (max minutes)
    ("sim-news", "烟台新闻网（模拟，GBK）", "site", "media", 60),
    ("sim-gov", "区政府门户网站（模拟）", "site", "official", 60),
    ("sim-weibo", "微博关键词订阅（模拟，RSSHub）", "feed", "social", 20),
    ("sim-board", "群众留言板（模拟）", "board", "public", 45),
]
DELAY = {s[0]: s[4] for s in SOURCES}
KIND = {"sim-news": "article", "sim-gov": "article", "sim-weibo": "post", "sim-board": "message"}
# shape -> expected grade (None: must not warn)
SHAPES = {"spike_small": "一般", "spike_large": "较大", "slow_burn": "一般", "reprint": "较大",
          "critical": "重大", "unanswered": "一般", "positive": None, "campaign": None}
MONTH_SHAPES = ["spike_small", "spike_small", "spike_large", "spike_large", "slow_burn", "slow_burn",
                "reprint", "reprint", "critical", "critical", "unanswered", "unanswered", "positive",
                "campaign"]


# varied: the default bank with a plainly written background, for tuning (see its docstring)
BANKS = {"default": "sim_phrases", "varied": "sim_phrases_varied", "blind": "sim_phrases_blind",
         "blind2": "sim_phrases_blind2", "tuning2": "sim_phrases_tuning2", "blind3": "sim_phrases_blind3",
         "blind4": "sim_phrases_blind4"}
REQUIRED = ("MATTERS", "REPOST", "FOLLOWUP", "NOTICES", "RESPONSES", "NEUTRAL_NEWS", "ROADS", "AUTHORS", "ORIGINS")


class Bank:
    """A phrase bank module by name (a key of BANKS) or a module/object with the same names."""

    def __init__(self, phrases="default"):
        module = importlib.import_module(BANKS[phrases]) if isinstance(phrases, str) else phrases
        missing = [n for n in REQUIRED if not hasattr(module, n)]
        if missing:
            raise ValueError(f"phrase bank {phrases!r} lacks {', '.join(missing)}")
        self.module = module
        for n in REQUIRED:
            setattr(self, n, getattr(module, n))

    def say(self, rng: random.Random, name: str, default: str) -> str:
        """The bank's own wording for `name` if it has any (a list to draw from), else `default`
        (drawing nothing, so a bank without it generates exactly as before)."""
        options = getattr(self.module, name, None)
        return rng.choice(options) if options else default

    def response(self, rng: random.Random, matter: str) -> str:
        r = self.RESPONSES[matter]
        return r if isinstance(r, str) else rng.choice(r)


@dataclass
class Item:
    at: datetime              # published
    source: str
    title: str
    content: str
    author: str = ""
    origin: str = ""
    event: str = ""           # "" = background
    reply: str = ""
    fetched: datetime | None = None


@dataclass
class Event:
    id: str
    shape: str
    matter: str
    place: str                # street id
    start: datetime
    deadline: datetime
    severity: str | None      # expected grade; None: must not warn
    owners: set[str]
    handler: str


@dataclass
class Month:
    seed: int
    items: list[Item] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class _Writer:
    def __init__(self, rng: random.Random, config, bank: Bank):
        self.rng = rng
        self.bank = bank
        self.places = {p.id: p for p in config.places}

    def place_text(self, place_id: str | None) -> str:
        if place_id is None:
            return self.rng.choice(getattr(self.bank.module, "PLACELESS", None) or ["", "我们小区", "咱这片", "市区"])
        p = self.places[place_id]
        names = [p.name] * 3 + list(p.aliases) + [c.name for c in p.communities] * 2
        return self.rng.choice(names)

    def fill(self, template: str, place_id: str | None, **extra) -> str:
        r = self.rng
        return template.format(place=self.place_text(place_id), road=extra.get("road") or r.choice(self.bank.ROADS),
                               n=r.randint(2, 30), unit=r.randint(1, 24), title=extra.get("title", ""))

    def complaint(self, matter: str, place_id: str | None, road: str | None = None) -> tuple[str, str]:
        m = self.bank.MATTERS[matter]
        title = self.fill(self.rng.choice(m["titles"]), place_id, road=road)
        body = "".join(self.fill(b, place_id, road=road) for b in self.rng.sample(m["bodies"], min(3, len(m["bodies"]))))
        return title, f"{title}。{body}"

    def news(self, matter: str, place_id: str | None, key: str = "news", road: str | None = None) -> tuple[str, str]:
        m = self.bank.MATTERS[matter]
        title = self.fill(self.rng.choice(m[key]), place_id, road=road)
        body = "".join(self.fill(b, place_id, road=road) for b in self.rng.sample(m["bodies"], 2))
        frame = self.bank.say(self.rng, "NEWS_FRAMES", "{title}。记者了解到，{body}相关部门表示将尽快核实处理。")
        return title, frame.format(title=title, body=body)

    def author(self) -> str:
        return self.rng.choice(self.bank.AUTHORS) + str(self.rng.randint(1, 9999))

    def say(self, name: str, default: str, **slots) -> str:
        return self.bank.say(self.rng, name, default).format(**slots)


def _fetch(rng: random.Random, item: Item) -> Item:
    item.fetched = item.at + timedelta(minutes=rng.uniform(1, DELAY[item.source]))
    return item


def _daytime(rng: random.Random, day: datetime) -> datetime:
    """A moment in the Shanghai day (UTC+8), busier in the day than at night."""
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 5, 6, 6, 6, 5, 5, 4, 4, 4, 3, 3, 2, 1])[0]
    return day + timedelta(hours=hour - 8, minutes=rng.uniform(0, 60))


def background(rng: random.Random, w: _Writer, config, start: datetime, end: datetime) -> list[Item]:
    items: list[Item] = []
    streets = [p.id for p in config.places]
    day = start.replace(hour=0, minute=0)
    bank = w.bank
    while day < end:
        local_midnight = day
        for _ in range(rng.randint(9, 15)):           # complaints about every matter, everywhere
            matter = rng.choice(list(bank.MATTERS))
            place = rng.choice(streets) if rng.random() < 0.85 else None
            title, body = w.complaint(matter, place)
            source = rng.choices(["sim-board", "sim-weibo", "sim-news"], [0.5, 0.4, 0.1])[0]
            reply = w.say("BOARD_REPLIES", "您反映的问题已转交相关部门办理。") if source == "sim-board" else ""
            items.append(Item(_daytime(rng, local_midnight), source, title, body,
                              author=w.author() if source != "sim-news" else "",
                              origin=rng.choice(bank.ORIGINS) if source == "sim-news" else "", reply=reply))
        for _ in range(rng.randint(3, 6)):            # neutral local news
            title = w.fill(rng.choice(bank.NEUTRAL_NEWS), rng.choice(streets))
            items.append(Item(_daytime(rng, local_midnight), "sim-news", title,
                              w.say("NEUTRAL_BODIES", "{title}，现场气氛热烈，居民纷纷点赞。", title=title),
                              origin=rng.choice(bank.ORIGINS)))
        for _ in range(rng.randint(1, 4)):            # the government's notices, sometimes relayed
            title = w.fill(rng.choice(bank.NOTICES), rng.choice(streets))
            at = _daytime(rng, local_midnight)
            items.append(Item(at, "sim-gov", title, w.say("NOTICE_BODIES", "{title}。会议强调，要压实责任，确保各项工作落到实处。",
                                                          title=title)))
            if rng.random() < 0.4:
                items.append(Item(at + timedelta(hours=1), "sim-news", title, w.say("NOTICE_RELAYS", "{title}。", title=title),
                                  origin=rng.choice(bank.ORIGINS)))
        # questions and suggestions on the board, residents' everyday posts: only in banks that
        # have them (drawing nothing otherwise, so other banks' months are as before)
        for name, source in (("INQUIRIES", "sim-board"), ("CHATTER", "sim-weibo")):
            for _ in range(rng.randint(2, 5) if getattr(bank.module, name, None) else 0):
                title, body = rng.choice(getattr(bank.module, name))
                place = rng.choice(streets)
                items.append(Item(_daytime(rng, local_midnight), source, w.fill(title, place),
                                  w.fill(f"{title}。{body}", place), author=w.author(),
                                  reply=w.say("BOARD_REPLIES", "您反映的问题已转交相关部门办理。")
                                  if source == "sim-board" else ""))
        for _ in range(rng.randint(1, 4)):            # praise
            matter = rng.choice(list(bank.MATTERS))
            title = w.fill(rng.choice(bank.MATTERS[matter]["praise"]), rng.choice(streets))
            items.append(Item(_daytime(rng, local_midnight), "sim-weibo", title, title, author=w.author()))
        day += timedelta(days=1)
    return [_fetch(rng, i) for i in items if start <= i.at < end]


# incidents whose matter has a second right 主管, in every phrase bank alike
INCIDENT_OWNERS = {"water_gas": {"yingji"}}


def _owners(config, bank: Bank, matter: str, shape: str = "") -> set[str]:
    """Departments any of which is a right 主管. An incident may name more: a gas explosion
    is "a gas or safety matter" (issue 13), so 应急 is right for it as well as 住建."""
    depts = {d.id for d in config.departments}
    owners = set(bank.MATTERS[matter]["owners"])
    if shape == "critical":
        owners |= INCIDENT_OWNERS.get(matter, set())
    return owners & depts or owners


def event_items(rng: random.Random, w: _Writer, config, ev: Event, poll: timedelta) -> list[Item]:
    out: list[Item] = []
    m, place, t0 = ev.matter, ev.place, ev.start
    bank = w.bank
    MATTERS, ORIGINS, REPOST, FOLLOWUP, NOTICES = bank.MATTERS, bank.ORIGINS, bank.REPOST, bank.FOLLOWUP, bank.NOTICES
    road = rng.choice(bank.ROADS)

    def add(at, source, title, body, **kw):
        out.append(Item(at, source, title, body, event=ev.id, **kw))

    if ev.shape in ("spike_small", "spike_large", "positive"):
        n = rng.randint(5, 8) if ev.shape == "spike_small" else rng.randint(20, 45)
        hours = rng.uniform(3, 6) if ev.shape == "spike_small" else rng.uniform(4, 8)
        for i in range(n):
            at = t0 + timedelta(hours=hours * rng.random())
            if ev.shape == "positive":
                title = w.fill(rng.choice(MATTERS[m]["praise"]), place)
                add(at, "sim-weibo", title, w.say("PRAISE_BODIES", "{title}！大家都说好。", title=title), author=w.author())
                continue
            weights = [0.55, 0.45, 0] if ev.shape == "spike_small" else [0.45, 0.4, 0.15]
            source = rng.choices(["sim-board", "sim-weibo", "sim-news"], weights)[0]
            if source == "sim-news":
                title, body = w.news(m, place, road=road)
                add(at, source, title, body, origin=rng.choice(ORIGINS))
            else:
                title, body = w.complaint(m, place, road=road)
                add(at, source, title, body, author=w.author(),
                    reply=w.say("EVENT_REPLIES", "已转交。") if source == "sim-board" else "")
    elif ev.shape == "slow_burn":
        for d in range(7):
            for _ in range(rng.randint(3, 6)):
                at = _daytime(rng, t0 + timedelta(days=d))
                source = rng.choice(["sim-board", "sim-weibo"])
                title, body = w.complaint(m, place, road=road)
                add(at, source, title, body, author=w.author(),
                    reply=w.say("EVENT_REPLIES", "已转交。") if source == "sim-board" else "")
    elif ev.shape == "reprint":
        title, body = w.news(m, place, road=road)
        origins = rng.sample(ORIGINS, rng.randint(10, 14))
        for i, origin in enumerate(origins):
            add(t0 + timedelta(minutes=20 * i + rng.uniform(0, 30)), "sim-news", title, body, origin=origin)
        for i in range(rng.randint(10, 18)):
            add(t0 + timedelta(minutes=30 + 25 * i), "sim-weibo", rng.choice(REPOST).format(title=title), body,
                author=w.author())
    elif ev.shape == "critical":
        title, body = w.news(m, place, key="critical", road=road)
        add(t0, "sim-news", title, body, origin=rng.choice(ORIGINS))
        for i in range(rng.randint(1, 2)):
            if getattr(bank.module, "CRITICAL_POSTS", None):
                head, text = rng.choice(bank.module.CRITICAL_POSTS)
                add(t0 + timedelta(hours=1 + i), "sim-weibo", w.fill(head, place, road=road),
                    w.fill(text, place, road=road, title=title), author=w.author())
            else:
                add(t0 + timedelta(hours=1 + i), "sim-weibo", f"{w.place_text(place)}{road}出事了，{rng.choice(['太吓人了', '有人受伤了', '现场围了好多人'])}",
                    f"刚路过，{title}", author=w.author())
        if m in bank.RESPONSES:
            resp = w.fill(bank.response(rng, m), place, road=road)
            add(t0 + timedelta(hours=10), "sim-gov", resp,
                w.say("RESPONSE_BODIES", "{resp}。经核实，事故已妥善处置，伤者生命体征平稳。", resp=resp))
    elif ev.shape == "unanswered":
        title, body = w.complaint(m, place, road=road)
        author = w.author()
        add(t0, "sim-board", title, body, author=author)
        add(t0 + timedelta(days=2), "sim-board", rng.choice(FOLLOWUP).format(title=title, n=3),
            w.say("FOLLOWUP_BODIES", "{body}还是没人回复。", body=body), author=author)
    elif ev.shape == "campaign":
        notice = w.fill(rng.choice(NOTICES), place)
        add(t0, "sim-gov", notice, w.say("CAMPAIGN_BODIES", "{title}。要求各单位高度重视，严格落实。", title=notice))
        for i in range(rng.randint(5, 10)):
            add(t0 + timedelta(hours=1 + i), "sim-news", notice, w.say("NOTICE_RELAYS", "{title}。", title=notice),
                origin=rng.choice(ORIGINS))
        for i in range(rng.randint(3, 8)):
            add(t0 + timedelta(hours=2 + i), "sim-weibo", w.say("CAMPAIGN_REPOSTS", "转发：{title}", title=notice), notice,
                author=w.say("GOV_ACCOUNTS", "芝罘发布"))
    return [_fetch(rng, i) for i in out]


def _deadline(shape: str, start: datetime, poll: timedelta, config) -> datetime:
    det = config.settings.detection
    return {
        "spike_small": start + timedelta(hours=12), "spike_large": start + timedelta(hours=8),
        "slow_burn": start + timedelta(days=7), "reprint": start + timedelta(hours=12),
        "critical": start + timedelta(minutes=DELAY["sim-news"]) + poll,
        "unanswered": start + det.unanswered_board_after + timedelta(days=1),
    }.get(shape, start + timedelta(days=1))


def generate(seed: int, config, days: int = 28, poll: timedelta = timedelta(minutes=30),
             shapes: list[str] | None = None, phrases="default") -> Month:
    bank = phrases if isinstance(phrases, Bank) else Bank(phrases)
    MATTERS = bank.MATTERS
    rng = random.Random(seed)
    w = _Writer(rng, config, bank)
    month = Month(seed)
    end = START + timedelta(days=days)
    month.items = background(rng, w, config, START - WARMUP, end)
    streets = [p.id for p in config.places]
    matters = list(MATTERS)
    rng.shuffle(matters)
    plan = list(shapes or MONTH_SHAPES)
    rng.shuffle(plan)
    span = max(days - 8, 1)
    for i, shape in enumerate(plan):
        matter = matters[i % len(matters)]
        if shape == "critical" and "critical" not in MATTERS[matter]:
            matter = rng.choice([m for m in MATTERS if "critical" in MATTERS[m]])
        start = _daytime(rng, START + timedelta(days=1 + (i * span) // len(plan) + rng.random()))
        start = start.replace(second=0, microsecond=0)
        place = rng.choice(streets)
        handler = next(p.handler for p in config.places if p.id == place)
        ev = Event(f"e{i:02d}-{shape}", shape, matter, place, start, _deadline(shape, start, poll, config),
                   SHAPES[shape], _owners(config, bank, matter, shape), handler)
        month.events.append(ev)
        month.items += event_items(rng, w, config, ev, poll)
    month.items.sort(key=lambda it: it.fetched)
    return month

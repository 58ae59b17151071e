"""A simulated month of 芝罘区 public opinion, scripted, against the real detection and sender.

    python bench/simulate_month.py [--days 30] [--seed 1] [--quick] [--json] [--db URL]

Analysed mentions are written into a store over simulated time (each one at its publication:
crawl and analysis delays are the other stages' and not counted here); at every polling
step detection runs, and the sender runs on its own 30-second clock, all with explicit
`at=` times, never sleeping. Scripted events — spikes of different sizes, a slow burn, a
one-off critical item, an authoritative report — sit on top of ordinary noise on every
series. Reported: precision and recall of warnings against the script, whether noise alone
warned, and the time from the item that set off a warning to its departments' notification
(target: one polling interval + 60 s; low severities held by night-time quiet hours are
reported apart, since holding them is the design).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from yuqing.alerts.deliver import send_due  # noqa: E402
from yuqing.alerts.detect import detect  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.models import Assignment, Delivery, Mention, MentionTopic, Story, Warning, WarningEvidence  # noqa: E402

START = datetime(2025, 1, 6, 0, 0, tzinfo=timezone.utc)          # 08:00 in Shanghai, a Monday
WARMUP = timedelta(days=14)
NOISE_SOURCES = [("people-liuyan-yantai", 0.35), ("weibo-search", 0.35), ("shm-yantai", 0.15),
                 ("jiaodong-yantai", 0.15)]


@dataclass
class Item:
    at: datetime
    topic: str | None
    place: str | None
    source: str
    title: str
    event: str = ""           # "" = noise
    negative: bool = True
    story: str = ""           # items with the same story key are copies of one story


@dataclass
class Script:
    items: list[Item] = field(default_factory=list)
    events: dict[str, str] = field(default_factory=dict)    # name -> what is expected

    def burst(self, name, expect, at, n, hours, topic, place, source="people-liuyan-yantai", copies=0):
        self.events[name] = expect
        for i in range(n):
            t = at + timedelta(hours=hours * i / max(n - 1, 1))
            self.items.append(Item(t, topic, place, source, f"{name}：群众反映问题（{i}）", name,
                                   story=f"{name}-{i}"))
            for c in range(copies):
                self.items.append(Item(t + timedelta(minutes=10 * (c + 1)), topic, place, "shm-yantai",
                                       f"{name}：群众反映问题（{i}）", name, story=f"{name}-{i}"))


def script(rng: random.Random, config, days: int, quick: bool) -> Script:
    s = Script()
    topics = [t.id for t in config.topics]
    places = [p.id for p in config.places]
    start = START - WARMUP
    # ordinary noise on every series, with a daytime rhythm; a few items are positive
    rates = {(t, p): rng.uniform(0.03, 0.35) for t in topics for p in places}
    for (topic, place), rate in rates.items():
        t = start
        while True:
            t += timedelta(days=rng.expovariate(rate))
            if t >= START + timedelta(days=days):
                break
            hour = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13))   # 09:00–21:00 local
            at = t.replace(hour=hour, minute=rng.randrange(60))
            source = rng.choices([x for x, _ in NOISE_SOURCES], [w for _, w in NOISE_SOURCES])[0]
            s.items.append(Item(at, topic, place, source, f"日常反映：{topic}@{place}", negative=rng.random() < 0.8))
    day = timedelta(days=1)
    s.burst("小幅聚集", "一般", START + 1 * day + timedelta(hours=2), 4, 3, "heating", "zhichu")
    s.burst("突发事件", "重大", START + 2 * day + timedelta(hours=1, minutes=7), 1, 0, "safety", "tongshen")
    s.items[-1].title = "通伸街道一在建工地脚手架坍塌 多人被困"
    if not quick:
        s.burst("中度聚集", "较大", START + 6 * day + timedelta(hours=3), 8, 4, "property", "xingfu")
        s.burst("大规模聚集", "重大", START + 11 * day + timedelta(hours=1), 16, 6, "education", "xiangyang", copies=1)
        s.burst("夜间聚集", "一般", START + 15 * day + timedelta(hours=14), 4, 2, "cityorder", "baishi")
        s.events["缓慢升温"] = "一般"
        for k, n in enumerate((1, 1, 2, 3, 5, 7)):                  # a slow burn over six days
            for i in range(n):
                at = START + (18 + k) * day + timedelta(hours=1 + 10 * i / n)
                s.items.append(Item(at, "medical", "qishan", "people-liuyan-yantai", f"缓慢升温：就医排队（{k}-{i}）", "缓慢升温"))
        s.burst("权威通报", "较大", START + 26 * day + timedelta(hours=5, minutes=31), 1, 0, "foodsafety", "zhifudao",
                source="zhifu-gov-news")
    s.items.sort(key=lambda it: it.at)
    return s


def write(db: Database, items: list[Item], offset: int, stories: dict[str, int]) -> None:
    with db.session() as s:
        for i, it in enumerate(items):
            m = Mention(source_id=it.source, url=f"http://sim.test/{it.event or 'noise'}/{offset + i}",
                        kind="post", title=it.title, content=it.title, published_at=it.at,
                        fetched_at=it.at, analysed_at=it.at, sentiment=0.1 if it.negative else 0.9,
                        negative=it.negative, place_id=it.place)
            if it.topic:
                m.topics = [MentionTopic(topic_id=it.topic, matched=[])]
            s.add(m)
            s.flush()
            story = stories.get(it.story) if it.story else None
            if story is None:
                st = Story(title=it.title, origin_mention_id=m.id, first_seen_at=it.at)
                s.add(st)
                s.flush()
                story = st.id
                if it.story:
                    stories[it.story] = story
            m.story_id = story


def simulate(db: Database, config, days: int, seed: int, quick: bool) -> dict:
    rng = random.Random(seed)
    sc = script(rng, config, days, quick)
    poll = config.settings.schedules.detection
    tick = config.settings.schedules.delivery
    warm = [it for it in sc.items if it.at < START]
    stories: dict[str, int] = {}
    write(db, warm, 0, stories)
    pending = [it for it in sc.items if it.at >= START]
    written, t, end = len(warm), START, START + timedelta(days=days)
    while t <= end:
        batch = []
        while pending and pending[0].at <= t:
            batch.append(pending.pop(0))
        write(db, batch, written, stories)
        written += len(batch)
        detect(db, config, t)
        for k in range(int(poll / tick)):
            if k and not _outbox_busy(db):
                break             # the sender's idle ticks change nothing: skip them
            send_due(db, config, t + k * tick)
        t += poll
    return score(db, config, sc, poll)


def _outbox_busy(db: Database) -> bool:
    with db.session() as s:
        return bool(s.scalar(select(Delivery.id).where(Delivery.status.in_(("pending", "batched"))).limit(1)))


def score(db: Database, config, sc: Script, poll: timedelta) -> dict:
    with db.session() as s:
        warnings = s.scalars(select(Warning).order_by(Warning.id)).all()
        found, false, latencies, held, details = {}, [], [], [], []
        for w in warnings:
            rows = s.execute(select(Mention.url, Mention.published_at).join(
                WarningEvidence, WarningEvidence.mention_id == Mention.id)
                .where(WarningEvidence.warning_id == w.id)).all()
            events = {url.split("/")[3] for url, _ in rows} - {"noise"}
            if not events:
                false.append(f"{w.kind} {w.title}")
                continue
            for e in events:
                found.setdefault(e, []).append(w.severity)
            trigger = max(p for url, p in rows if p <= w.opened_at and url.split("/")[3] in events)
            sent = s.scalar(select(func.min(Delivery.sent_at)).join(
                Assignment, (Assignment.warning_id == Delivery.warning_id)
                & (Assignment.department_id == Delivery.department_id))
                .where(Delivery.warning_id == w.id, Assignment.role.in_(("主管", "处置")),
                       Delivery.status == "sent"))
            details.append({"warning": w.title, "severity": w.severity, "events": sorted(events),
                            "trigger": trigger.isoformat(), "opened": w.opened_at.isoformat(),
                            "notified": sent.isoformat() if sent else None})
            if sent is not None:
                (held if sent - trigger > poll + timedelta(seconds=60) and _night(trigger) else latencies).append(
                    (sent - trigger).total_seconds())
    tp = len(warnings) - len(false)
    return {
        "events": len(sc.events), "warnings": len(warnings),
        "recall": len(found) / len(sc.events), "precision": tp / len(warnings) if warnings else 1.0,
        "missed": sorted(set(sc.events) - set(found)), "false_warnings": false,
        "severity": {e: [sc.events[e], found.get(e, [])] for e in sc.events},
        "latency_s": {"median": statistics.median(latencies) if latencies else None,
                      "max": max(latencies) if latencies else None, "n": len(latencies)},
        "held_for_quiet_hours_s": held, "details": details, "target_s": (poll + timedelta(seconds=60)).total_seconds(),
    }


def _night(at: datetime) -> bool:
    hour = (at.hour + 8) % 24
    return hour >= 22 or hour < 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 days, two events")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    days = 3 if args.quick else args.days
    config = load_config("default")
    depts = [d.model_copy(update={"channels": ["dryrun://"]}) for d in config.departments]
    config = config.model_copy(update={"departments": depts})
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("YUQING_SECRET", "simulation-only-7c1e9a4f2b6d8035e1c7a9f3b2d4e6a8")
        db = Database(args.db or f"sqlite:///{tmp}/month.db")
        db.migrate()
        result = simulate(db, config, days, args.seed, args.quick)
        db.dispose()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    lat = result["latency_s"]
    print(f"模拟 {days} 天（nproc={os.cpu_count()}，{datetime.now():%Y-%m-%d}）：脚本事件 {result['events']} 个，预警 {result['warnings']} 条")
    print(f"召回率 {result['recall']:.0%}（漏报：{'、'.join(result['missed']) or '无'}）；精确率 {result['precision']:.0%}")
    print(f"仅由日常噪声引起的预警：{len(result['false_warnings'])} 条 {result['false_warnings'][:5]}")
    for name, (want, got) in result["severity"].items():
        print(f"  {name}：预期 {want}，实际 {'、'.join(got) or '—'}")
    if lat["n"]:
        print(f"发布到责任单位收到通知：中位 {lat['median']:.0f}s，最长 {lat['max']:.0f}s（{lat['n']} 条；目标 ≤ {result['target_s']:.0f}s）")
    print(f"因夜间静默顺延到早上的：{len(result['held_for_quiet_hours_s'])} 条 {[round(x / 3600, 1) for x in result['held_for_quiet_hours_s']]} 小时")
    return 0


if __name__ == "__main__":
    sys.exit(main())

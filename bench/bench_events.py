"""Event assignment throughput on one core, over stores of growing size.

A store of N analysed mentions already grouped into events (about three mentions an event,
spread evenly over the past N/1000 days, so only the last few days' events are open) is
written straight into SQLite; then the same 3,000 new complaints (20 streets, 12 matters,
different wordings) are assigned in analysis-sized batches with `assign_events`. Baseline,
same run: the same batch into an empty store. Growth from 100k to 1M must be sub-linear:
candidates come from the keys of open events only, never from a scan of all events.

    .venv/bin/python bench/bench_events.py [--quick]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, select  # noqa: E402

from yuqing.analysis.event_assign import assign_events  # noqa: E402
from yuqing.analysis.event_facts import FactReader  # noqa: E402
from yuqing.config import load_config  # noqa: E402
from yuqing.storage.db import Database  # noqa: E402
from yuqing.storage.events import Event, EventKey, EventMention  # noqa: E402
from yuqing.storage.models import Mention, MentionTopic  # noqa: E402

NOW = datetime(2025, 1, 15, 3, 0, tzinfo=timezone.utc)
NEW = 3000
BATCH = 500
PER_DAY = 1000
ISSUES = [("heating", "暖气不热，室温只有{n}度，供热公司没人管"), ("heating", "家里暖气冰凉，打供热热线一直占线"),
          ("property", "电梯停运{n}天了，物业和维保单位互相推诿"), ("cityorder", "夜市占道经营，噪音扰民到凌晨"),
          ("cityorder", "楼下烧烤油烟太大，窗户都不敢开"), ("property", "小区垃圾{n}天没人清运，臭味很大"),
          ("education", "学区划片不合理，孩子上学要走{n}分钟"), ("medical", "社区卫生站疫苗预约排不上号"),
          ("foodsafety", "农贸市场熟食过期{n}天还在卖"), ("safety", "小区燃气管道锈蚀，担心出事"),
          ("property", "楼道灯坏了{n}个月没人修"), ("cityorder", "工地夜间施工打桩，吵得睡不着")]


def places(config):
    out = []
    for p in config.places:
        for c in p.communities or [None]:
            out.append((p.id, p.name, c.name if c else ""))
    return out


def text_for(rng: random.Random, spots) -> tuple[str, str, str, str | None]:
    place_id, street, community = rng.choice(spots)
    topic, issue = rng.choice(ISSUES)
    body = f"{street}{community}{issue.format(n=rng.randint(2, 15))}，希望有关部门尽快处理。"
    return body[:24], body, topic, place_id


def build_store(db: Database, config, n: int, seed: int = 7) -> None:
    """N grouped mentions over the past N/PER_DAY days; open events (last 3 days) keyed."""
    rng = random.Random(seed)
    spots = places(config)
    days = max(1, n // PER_DAY)
    mentions, links, topics, events, keys = [], [], [], [], []
    event_id = 0
    with db.engine.begin() as conn:
        for i in range(1, n + 1):
            when = NOW - timedelta(days=days * (n - i) / n + 0.01)
            title, body, topic, place = text_for(rng, spots)
            if i % 3 == 1:
                event_id += 1
                open_ = NOW - when < timedelta(days=3)
                events.append({"id": event_id, "title": title, "topic_id": topic, "place_id": place,
                               "communities": [], "status": "平息", "first_mention_id": i,
                               "first_seen_at": when, "last_seen_at": when, "mentions": 3,
                               "negative": 3, "stories": 3, "sources": 1, "channels": 1, "authors": 3,
                               "weight": 3.0, "terms": {"暖气": 1}, "anchors": [], "summary": [],
                               "dormant": not open_, "merged_into": None, "stale": False,
                               "created_at": when, "updated_at": when})
                if open_:
                    keys += [{"key": f"p:{place}:{topic}", "event_id": event_id},
                             {"key": f"w:{title[-4:]}", "event_id": event_id}]
            mentions.append({"id": i, "source_id": "people-liuyan-yantai", "url": f"http://b.test/{i}",
                             "kind": "message", "title": title, "content": body, "author": f"居民{i}",
                             "origin": "", "published_at": when, "fetched_at": when, "encoding": "",
                             "attachments": [], "content_hash": "", "version": 1, "reply": "",
                             "reply_department": "", "analysed_at": when, "sentiment": 0.1,
                             "negative": True, "place_id": place})
            topics.append({"mention_id": i, "topic_id": topic, "matched": []})
            links.append({"mention_id": i, "event_id": event_id, "score": 1.0, "assigned_at": when})
            if len(mentions) >= 20_000:
                _flush(conn, mentions, topics, events, links, keys)
        _flush(conn, mentions, topics, events, links, keys)


def _flush(conn, mentions, topics, events, links, keys) -> None:
    for table, rows in ((Mention.__table__, mentions), (MentionTopic.__table__, topics),
                        (Event.__table__, events), (EventMention.__table__, links),
                        (EventKey.__table__, {(k["key"], k["event_id"]): k for k in keys}.values())):
        rows = list(rows)
        if rows:
            conn.execute(insert(table), rows)
    for rows in (mentions, topics, events, links, keys):
        rows.clear()


def new_mentions(db: Database, config, start_id: int) -> list[int]:
    rng = random.Random(99)
    spots = places(config)
    ids = []
    with db.session() as s:
        for k in range(NEW):
            title, body, topic, place = text_for(rng, spots)
            when = NOW + timedelta(seconds=20 * k)
            m = Mention(id=start_id + k, source_id="weibo-zhifu-fabu", url=f"http://new.test/{k}",
                        kind="post", title=title, content=body, author=f"网友{rng.randint(1, 900)}",
                        published_at=when, fetched_at=when, analysed_at=when, sentiment=0.1,
                        negative=True, place_id=place)
            m.topics = [MentionTopic(topic_id=topic, matched=[])]
            s.add(m)
            ids.append(start_id + k)
    return ids


def assign_all(db: Database, reader: FactReader, ids: list[int]) -> float:
    started = time.process_time()
    for i in range(0, len(ids), BATCH):
        with db.session() as s:
            batch = list(s.scalars(select(Mention).where(Mention.id.in_(ids[i:i + BATCH]))))
            assign_events(s, reader, batch, NOW)
    return time.process_time() - started


def run(config, reader: FactReader, n: int, tmp: str) -> tuple[float, float]:
    db = Database(f"sqlite:///{Path(tmp) / f'store{n}.db'}")
    db.migrate()
    started = time.monotonic()
    build_store(db, config, n)
    built = time.monotonic() - started
    ids = new_mentions(db, config, n + 1)
    seconds = assign_all(db, reader, ids)
    db.dispose()
    return seconds, built


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    sizes = [0, 20_000, 200_000] if quick else [0, 100_000, 1_000_000]
    config = load_config("default")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["YUQING_HOME"] = tmp
        reader = FactReader(config)
        reader.terms("预热分词器")                   # jieba's dictionary: loaded once, not timed
        results = {n: run(config, reader, n, tmp) for n in sizes}
    base = results[0][0]
    print(f"事件归并吞吐（单核 CPU 时间，{NEW} 条新信息，每批 {BATCH} 条）；基线：同一批写入空库")
    print(f"{'库中已有信息':>12s} {'建库用时':>8s} {'归并用时':>8s} {'条/秒':>8s} {'相对空库':>8s}")
    for n, (seconds, built) in results.items():
        print(f"{n:12,d} {built:7.1f}s {seconds:7.2f}s {NEW / seconds:8.0f} {seconds / base:8.2f}x")
    small, large = sizes[1], sizes[2]
    growth = results[large][0] / results[small][0]
    print(f"{small:,} → {large:,}（{large // small} 倍）：归并用时 {growth:.2f} 倍"
          f"（{'亚线性' if growth < large / small / 2 else '接近线性'}）；"
          f"{small:,} 时 {NEW / results[small][0]:.0f} 条/秒（目标 ≥ 1000）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Detection reading its baseline from the hourly rollups judges like detection reading the
mentions: the same findings (kind, key, severity, topic, place) on a realistic store, and the
same baseline items and weighted volume, sample by sample."""

from __future__ import annotations

import random
from datetime import timedelta

from yuqing.alerts.detect import detect, spike_findings
from yuqing.alerts.series import build_series
from yuqing.alerts.trend import trend_findings
from yuqing.storage.models import Mention, MentionTopic, Story
from yuqing.storage.rollups import catch_up
from tests.alerts.helpers import NOW, wave

SOURCES = ["people-liuyan-yantai", "shm-yantai", "jiaodong-yantai", "weibo-x", "board"]
TOPICS = ["heating", "education", "property", "medical", "roads", None]
PLACES = ["zhichu", "xiangyang", "dongshan", "tongshen", None]


def add(s, when, topic, place, source, story_id=None, author=""):
    m = Mention(source_id=source, url=f"http://eq.test/{random.random()}", title="反映问题", content="",
                author=author, published_at=when, fetched_at=when, analysed_at=when, sentiment=0.1,
                negative=True, place_id=place, story_id=story_id)
    if topic:
        m.topics = [MentionTopic(topic_id=topic, matched=[])]
    s.add(m)
    return m


def realistic_store(db, seed=5, days=20):
    """Background complaints in every series with reprints spread over hours (and across
    midnight), a spike, a reprint wave, a slow burn and a street-level matter no topic names."""
    rng = random.Random(seed)
    with db.session() as s:
        t = NOW - timedelta(days=days)
        while t < NOW:
            t += timedelta(minutes=rng.expovariate(1 / 50))
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            story = Story(title="x", first_seen_at=t, copies=1)
            s.add(story)
            s.flush()
            add(s, t, topic, place, rng.choice(SOURCES), story.id, author=rng.choice(["", "网友", "张三"]))
            for _ in range(rng.choice([0, 0, 0, 1, 2, 4])):      # copies, minutes to hours later
                add(s, t + timedelta(minutes=rng.randint(5, 600)), topic, place, rng.choice(SOURCES), story.id)
        for i in range(12):                                       # a spike in the last hours
            add(s, NOW - timedelta(minutes=7 + 23 * i), "heating", "zhichu", "board", author=f"居民{i}")
        for day in range(5):                                      # a slow burn
            for i in range(5):
                add(s, NOW - timedelta(days=day, hours=2 + 3 * i), "education", "xiangyang", "people-liuyan-yantai",
                    author=f"家长{day}{i}")
        for i in range(30):                                       # 未归类 at a street
            add(s, NOW - timedelta(hours=1, minutes=7 * i), None, "dongshan", "weibo-x", author=f"网民{i}")
    wave(db, 30, topic="property", place="tongshen", at=NOW - timedelta(hours=2))


def findings(db, config, at, rollups):
    series = build_series(db, config, at, rollups=rollups)
    spikes = spike_findings(db, config, series, at)
    trends = trend_findings(db, config, series, at, spikes)
    return series, {(f.kind, f.key, f.severity, f.topic_id, f.place_id) for f in spikes + trends}


def test_rollups_give_the_findings_reading_mentions_gives(db, alert_config):
    realistic_store(db)
    catch_up(db.engine)
    seen = set()
    for at in (NOW - timedelta(days=2), NOW - timedelta(hours=5), NOW, NOW + timedelta(hours=1),
               NOW + timedelta(hours=3), NOW + timedelta(minutes=17), NOW + timedelta(minutes=48)):
        fast, got = findings(db, alert_config, at, rollups=True)
        slow, want = findings(db, alert_config, at, rollups=False)
        assert got == want, at
        seen |= got
        if at.minute == 0:
            # whole hours: items, weighted volume and stories of every past sample are exact
            assert fast.keys() == slow.keys()
            for key, items in fast.items():
                for a, b in zip(items, slow[key]):
                    assert [h.items for h in a.history] == [h.items for h in b.history], key
                    assert [h.stories for h in a.history] == [h.stories for h in b.history], key
                    assert [round(h.count, 6) for h in a.history] == [round(h.count, 6) for h in b.history]
    kinds = {(k, t, p) for k, _, _, t, p in seen}
    # the store exercises what the rollups feed: spikes, a catch-all and a slow burn
    assert {("spike", "heating", "zhichu"), ("spike", "property", "tongshen"),
            ("spike", None, "dongshan"), ("trend", "education", "xiangyang")} <= kinds


def test_detection_sees_mentions_analysed_since_the_last_cycle(db, alert_config):
    """The baseline follows items that arrive late (or are relabelled) without any rebuild:
    detection catches the rollups up first."""
    realistic_store(db)
    at = NOW + timedelta(hours=1)
    detect(db, alert_config, NOW)
    _, before = findings(db, alert_config, at, rollups=True)
    assert ("spike", "spike:heating:zhichu") in {f[:2] for f in before}
    with db.session() as s:     # the same hours were as busy on every past day: late items
        for day in range(1, 15):
            for i in range(12):
                add(s, NOW - timedelta(days=day, minutes=7 + 23 * i), "heating", "zhichu", "board",
                    author=f"旧{day}-{i}")
    _, got = findings(db, alert_config, at, rollups=True)
    _, want = findings(db, alert_config, at, rollups=False)
    assert got == want
    assert ("spike", "spike:heating:zhichu") not in {f[:2] for f in got}

"""Hourly rollups (storage/rollups.py): kept equal to a rebuild from the mentions through
every way a mention's counting attributes change, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, text, update

from yuqing.storage.models import Mention, MentionTopic, Story
from yuqing.storage.rollups import MentionRollup, RollupQueue, catch_up, rebuild

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)       # 09:00 in Shanghai
_n = iter(range(1, 10 ** 6))


def rollups(db) -> list[tuple]:
    with db.session() as s:
        return sorted((r.hour, r.topic_id, r.place_id, r.source_id, r.gap, r.items, r.stories)
                      for r in s.scalars(select(MentionRollup)))


def assert_caught_up(db) -> list[tuple]:
    """After a catch-up the table is what a rebuild from scratch makes, and the queue is empty."""
    catch_up(db.engine)
    got = rollups(db)
    rebuild(db.engine)
    assert got == rollups(db)
    with db.session() as s:
        assert s.scalar(select(RollupQueue.id).limit(1)) is None
    return got


def story(db, when) -> int:
    with db.session() as s:
        st = Story(title="t", first_seen_at=when, copies=1)
        s.add(st)
        s.flush()
        return st.id


def mention(db, when, *, source="board", topic="heating", place="zhichu", negative=True, story_id=None,
            analysed=True) -> int:
    with db.session() as s:
        m = Mention(source_id=source, url=f"http://r.test/{next(_n)}", title="暖气不热", published_at=when,
                    fetched_at=when, analysed_at=when if analysed else None, negative=negative and analysed,
                    place_id=place, story_id=story_id)
        if topic and analysed:
            m.topics = [MentionTopic(topic_id=topic, matched=[])]
        s.add(m)
        s.flush()
        return m.id


def test_counts_items_and_story_hours_with_the_gap_to_the_story_s_previous_hour(db):
    s1 = story(db, T0)
    mention(db, T0 + timedelta(minutes=10), story_id=s1, source="board")
    mention(db, T0 + timedelta(minutes=20), story_id=s1, source="news")     # a reprint, same hour
    mention(db, T0 + timedelta(hours=2, minutes=5), story_id=s1, source="news")   # two hours later
    mention(db, T0 + timedelta(minutes=30), topic=None, place=None)      # 未归类, no place, no story
    mention(db, T0 + timedelta(minutes=40), negative=False)               # not counted
    got = assert_caught_up(db)
    h1, h3 = T0 + timedelta(hours=1), T0 + timedelta(hours=3)
    assert got == [(h1, "", "", "board", 0, 1, 1),
                   (h1, "heating", "zhichu", "board", 0, 1, 1),      # the story's first hour
                   (h1, "heating", "zhichu", "news", 0, 1, 0),       # a copy in the same hour
                   (h3, "heating", "zhichu", "news", 2, 1, 1)]       # back two hours later
    # a mention exactly on the hour belongs to the hour that ends there: (h - 1h, h]
    mention(db, h3)
    assert (h3, "heating", "zhichu", "board", 0, 1, 1) in assert_caught_up(db)


def test_analysis_relabels_corrections_late_copies_and_deletions_keep_rollups_right(db):
    s1 = story(db, T0)
    first = mention(db, T0 + timedelta(hours=5, minutes=10), story_id=s1, source="news")
    copy = mention(db, T0 + timedelta(hours=7, minutes=10), story_id=s1, source="board")
    other = mention(db, T0 + timedelta(hours=9, minutes=10), source="weibo")
    assert_caught_up(db)
    # analysis of a collected item: unanalysed row first, then negative, topic, place, story
    pending = mention(db, T0 + timedelta(hours=6, minutes=10), analysed=False)
    assert_caught_up(db)
    with db.session() as s:
        m = s.get(Mention, pending)
        m.negative, m.analysed_at, m.place_id, m.story_id = True, T0 + timedelta(hours=7), "xiangyang", s1
        m.topics = [MentionTopic(topic_id="property", matched=[])]
    assert_caught_up(db)
    # an earlier copy collected late moves the story's count to its hour
    late = mention(db, T0 + timedelta(hours=2, minutes=10), story_id=s1, source="weibo")
    got = assert_caught_up(db)
    assert (T0 + timedelta(hours=3), "heating", "zhichu", "weibo", 0, 1, 1) in got
    assert (T0 + timedelta(hours=6), "heating", "zhichu", "news", 3, 1, 1) in got
    # relabelled: no longer negative (the earliest copy again moves the count), topic, place
    with db.session() as s:
        s.execute(update(Mention).where(Mention.id == late).values(negative=False))
    assert (T0 + timedelta(hours=6), "heating", "zhichu", "news", 0, 1, 1) in assert_caught_up(db)
    with db.session() as s:
        s.execute(delete(MentionTopic).where(MentionTopic.mention_id == copy))
        s.add(MentionTopic(mention_id=copy, topic_id="education", matched=[]))
        s.execute(update(Mention).where(Mention.id == other).values(place_id=None))
    assert_caught_up(db)
    # a re-crawl found the real publication time; a story merge; a deletion
    with db.session() as s:
        s.execute(update(Mention).where(Mention.id == other).values(published_at=T0 + timedelta(days=1)))
        s.execute(update(Mention).where(Mention.id == first).values(story_id=None))
    assert_caught_up(db)
    with db.session() as s:
        s.execute(delete(MentionTopic).where(MentionTopic.mention_id == other))
        s.execute(delete(Mention).where(Mention.id == other))
    got = assert_caught_up(db)
    assert not [r for r in got if r[0] > T0 + timedelta(hours=12)]


def test_catch_up_reads_only_the_hours_that_changed(db):
    for k in range(48):
        mention(db, T0 + timedelta(hours=k, minutes=30))
    catch_up(db.engine)
    mention(db, T0 + timedelta(hours=50, minutes=1))
    assert catch_up(db.engine) == 1
    assert catch_up(db.engine) == 0


def test_an_upgraded_store_has_its_history_rolled_up(db):
    """Migration 0004_rollups builds the rollups of mentions stored before it."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from yuqing.storage.db import MIGRATIONS

    s1 = story(db, T0)
    for k in range(5):
        mention(db, T0 + timedelta(hours=k * 7), story_id=s1 if k < 3 else None, source=("news", "board")[k % 2])
    expected = assert_caught_up(db)
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004_rollups@-1")
        assert "mention_rollups" not in [r[0] for r in conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            if conn.dialect.name == "postgresql" else "SELECT name FROM sqlite_master WHERE type = 'table'"))]
    # stored while the store had no rollups (no triggers either)
    mention(db, T0 + timedelta(hours=40), source="weibo")
    db.migrate()
    got = rollups(db)
    assert set(expected) < set(got)
    assert (T0 + timedelta(hours=40), "heating", "zhichu", "weibo", 0, 1, 1) in got
    assert_caught_up(db)

"""Warnings are raised by several people, not by a few repeating themselves: the 未归类
catch-all and the slow burn count distinct voices (settings.detection.catchall_min_authors,
trend_min_authors), while a story many outlets carry stays a warning."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.storage.models import Mention, Story, Warning
from tests.alerts.helpers import NOW, baseline, with_detection
from tests.factories import add_mention


def opened(db):
    with db.session() as s:
        return [(w.kind, w.topic_id, w.place_id) for w in s.scalars(select(Warning).order_by(Warning.id))]


def test_three_residents_posting_four_times_each_open_no_unclassified_warning(db, alert_config):
    """Twelve negative posts in one street about nothing a topic names, from three signed
    accounts: each account adds at most two units, three voices are not a matter for the
    duty office. Without the voice rule the same posts would warn (the test's control)."""
    baseline(db, topic=None, place="baishi")
    for i in range(12):
        add_mention(db, when=NOW - timedelta(minutes=10 + 25 * i), topic=None, place="baishi",
                    source="weibo-x", author=f"居民{i % 3}", title=f"小区门口又乱了（{i}）")
    assert detect(db, alert_config, NOW).opened == 0
    assert opened(db) == []
    loose = with_detection(alert_config, catchall_min_authors=1)
    assert detect(db, loose, NOW).opened == 1          # the rule, not the volume, kept it quiet


def test_one_account_posting_twelve_times_in_a_street_opens_nothing(db, alert_config):
    baseline(db, topic=None, place="baishi")
    for i in range(12):
        add_mention(db, when=NOW - timedelta(minutes=10 + 25 * i), topic=None, place="baishi",
                    source="weibo-x", author="某刷屏账号", title=f"白石这边太不像话了（{i}）")
    assert detect(db, alert_config, NOW).opened == 0


def test_twelve_sites_carrying_one_story_open_an_unclassified_warning(db, alert_config):
    """A reprint wave of one negative story no topic names: twelve outlets are twelve voices."""
    baseline(db, topic=None, place="baishi")
    first = add_mention(db, when=NOW - timedelta(hours=5), topic=None, place="baishi", source="shm-yantai",
                        kind="article", title="白石街道一养老院被指克扣老人伙食", origin="媒体0")
    with db.session() as s:
        story = s.get(Mention, first).story_id
    for i in range(1, 12):
        mid = add_mention(db, when=NOW - timedelta(hours=5) + timedelta(minutes=15 * i), topic=None,
                          place="baishi", source="shm-yantai", kind="article", story=False,
                          title="白石街道一养老院被指克扣老人伙食", origin=f"媒体{i}")
        with db.session() as s:
            s.get(Mention, mid).story_id = story
            s.get(Story, story).copies += 1
    detect(db, alert_config, NOW)
    assert opened(db) == [("spike", None, "baishi")]


def slow_burn(db, per_day, authors):
    for d, n in enumerate(reversed(per_day)):
        for i in range(n):
            add_mention(db, when=NOW - timedelta(days=d, hours=1 + 20 * i / n), topic="education",
                        place="xiangyang", source="weibo-x", author=authors[(d + i) % len(authors)],
                        title=f"孩子上学划片的事（{d}-{i}）")


def test_one_resident_posting_every_day_is_no_slow_burn(db, alert_config):
    """Someone writing about their own child's school place every day for a week: their
    matter is answered as a message, not warned as a district slow burn."""
    baseline(db, days=21, per_day=0.15, topic="education", place="xiangyang")
    slow_burn(db, [3, 4, 3, 5, 4, 6, 5], authors=["孩子家长"])
    detect(db, alert_config, NOW)
    assert [k for k in opened(db) if k[0] == "trend"] == []
    detect(db, with_detection(alert_config, trend_min_authors=1), NOW)
    assert ("trend", "education", "xiangyang") in opened(db)     # the control: the days alone would


def test_several_residents_over_a_week_are_a_slow_burn(db, alert_config):
    baseline(db, days=21, per_day=0.15, topic="education", place="xiangyang")
    slow_burn(db, [3, 4, 3, 5, 4, 6, 5], authors=[f"家长{i}" for i in range(9)])
    detect(db, alert_config, NOW)
    assert ("trend", "education", "xiangyang") in opened(db)

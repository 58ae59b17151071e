"""The baseline detection keeps between cycles (storage/detect_cache.py) is the baseline it
would read afresh: reused while its hours stand, read again when one of them changes (a late
item, a relabelled one), and never stale. SQLite, and PostgreSQL with YUQING_TEST_POSTGRES."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from yuqing.alerts.series import build_series
from yuqing.storage.detect_cache import DetectCache
from yuqing.storage.models import Mention
from tests.alerts.helpers import NOW
from tests.alerts.test_rollups_detect import add


def store(db):
    with db.session() as s:
        for day in range(1, 16):
            for i in range(3):
                add(s, NOW - timedelta(days=day, hours=2 + 5 * i), "heating", "zhichu", "board", author=f"居民{day}{i}")


def history(series):
    return {key: [[(h.items, h.units, round(h.count, 9)) for h in item.history] for item in items]
            for key, items in series.items()}


def fresh(db, config, at):
    """The baseline read from the rollups, with nothing kept."""
    with db.session() as s:
        s.execute(delete(DetectCache))
    return history(build_series(db, config, at))


def seen(db):
    with db.session() as s:
        return s.scalar(select(DetectCache.seen))


def test_the_kept_baseline_is_the_fresh_one_until_its_hours_change(db, alert_config):
    store(db)
    first = history(build_series(db, alert_config, NOW + timedelta(minutes=5)))
    kept = seen(db)
    assert kept is not None
    # an item of the current hour changes no hour of the baseline: the baseline is reused
    with db.session() as s:
        add(s, NOW + timedelta(minutes=7), "heating", "zhichu", "board", author="新来的")
    again = history(build_series(db, alert_config, NOW + timedelta(minutes=10)))
    assert seen(db) == kept
    assert again == first == fresh(db, alert_config, NOW + timedelta(minutes=10))
    history(build_series(db, alert_config, NOW + timedelta(minutes=12)))      # kept again
    # a late item three days back, and an old one turned non-negative: read again, as fresh
    with db.session() as s:
        add(s, NOW - timedelta(days=3, hours=1), "heating", "zhichu", "board", author="迟到的")
        old = s.scalar(select(Mention.id).where(Mention.author == "居民51"))
        s.execute(update(Mention).where(Mention.id == old).values(negative=False))
    changed = history(build_series(db, alert_config, NOW + timedelta(minutes=15)))
    assert changed != first
    assert changed == fresh(db, alert_config, NOW + timedelta(minutes=15))
    # the next hour is another baseline
    later = history(build_series(db, alert_config, NOW + timedelta(hours=1, minutes=5)))
    assert later == fresh(db, alert_config, NOW + timedelta(hours=1, minutes=5))

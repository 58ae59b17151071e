"""Critical words are matched once and marked (storage/critical.py): the marks follow new
and edited mentions, a changed word list, and a run that reads further back than ever."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.alerts.helpers import NOW, with_detection
from tests.factories import add_mention
from yuqing.alerts.detect import detect
from yuqing.alerts.rules import critical_findings, marks_since
from yuqing.storage.critical import hit, refresh
from yuqing.storage.models import Mention, Warning


def criticals(db, config, at):
    refresh(db.engine, config.settings.detection.critical_words, marks_since(config, at))
    with db.session() as s:
        return sorted(f.key for f in critical_findings(s, config, at))


def scanned(db, config, at):
    """What the marks must give: every critical word matched against the text."""
    lo = at - timedelta(days=3)
    with db.session() as s:
        return set(s.scalars(select(Mention.id).where(Mention.published_at > lo, Mention.published_at <= at,
                                                      hit(config.settings.detection.critical_words))))


def test_marks_follow_new_and_edited_mentions(db, alert_config):
    blast = add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="tongshen", source="news",
                        kind="article", title="通伸街道一饭店燃气泄漏引发爆炸 一人受伤")
    plain = add_mention(db, when=NOW - timedelta(hours=3), topic="safety", place="zhichu", source="news",
                        kind="article", title="只楚街道燃气管道检修")
    assert len(criticals(db, alert_config, NOW)) == 1
    with db.session() as s:      # corrected texts: the plain one now reports a collapse, the blast none
        s.execute(update(Mention).where(Mention.id == plain).values(content="路面塌陷，一辆车陷入坑中"))
        s.execute(update(Mention).where(Mention.id == blast).values(title="通伸街道一饭店燃气泄漏"))
    with db.session() as s:
        story = s.scalar(select(Mention.story_id).where(Mention.id == plain))
    assert criticals(db, alert_config, NOW) == [f"critical:{story}"]
    # a new item later in the day is seen by the next cycle
    late = add_mention(db, when=NOW + timedelta(minutes=20), topic="safety", place="tongshen", source="news",
                       kind="article", title="只楚街道一工地发生坍塌")
    assert len(criticals(db, alert_config, NOW + timedelta(minutes=30))) == 2
    assert late in scanned(db, alert_config, NOW + timedelta(minutes=30))


def test_a_changed_word_list_and_an_earlier_run_are_marked_again(db, alert_config):
    old = add_mention(db, when=NOW - timedelta(days=5), topic="safety", place="tongshen", source="news",
                      kind="article", title="通伸街道一饭店燃气泄漏引发爆炸")
    new = add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="zhichu", source="news",
                      kind="article", title="只楚街道一小区电梯困人")
    assert criticals(db, alert_config, NOW) == []
    wider = with_detection(alert_config, critical_words=[*alert_config.settings.detection.critical_words, "困人"])
    assert len(criticals(db, wider, NOW)) == 1
    assert criticals(db, alert_config, NOW) == []            # and back
    # a replay of five days ago reads a range the marks never covered
    assert len(criticals(db, alert_config, NOW - timedelta(days=5) + timedelta(hours=1))) == 1
    assert {old, new} & scanned(db, wider, NOW) == {new}


def test_detection_warns_on_marked_items_once(db, alert_config):
    add_mention(db, when=NOW - timedelta(hours=2), topic="safety", place="tongshen", source="news",
                kind="article", title="通伸街道一饭店燃气泄漏引发爆炸 一人受伤")
    detect(db, alert_config, NOW)
    detect(db, alert_config, NOW + timedelta(minutes=5))
    with db.session() as s:
        assert [w.kind for w in s.scalars(select(Warning))] == ["critical"]

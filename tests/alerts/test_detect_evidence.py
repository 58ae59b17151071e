"""A cycle's evidence read for all findings at once (series.fill_evidence) is what reading
it per finding gives (series.window_mentions): the newest negative items of each part."""

from __future__ import annotations

from datetime import timedelta

from yuqing.alerts.rules import Finding
from yuqing.alerts.series import (CATCHALL, DAY, EVIDENCE_MAX, Window, evidence_part, fill_evidence,
                                  window_mentions, windows)
from tests.alerts.helpers import NOW, spike
from tests.alerts.test_rollups_detect import PLACES, TOPICS, realistic_store


def test_evidence_for_all_findings_at_once_is_the_evidence_of_each(db, alert_config):
    realistic_store(db)
    spike(db, EVIDENCE_MAX + 20, topic="heating", place="zhichu", every=1)   # more than is kept
    wins = windows(alert_config) + [Window("trend", DAY * 5, DAY, 1)]
    for at in (NOW, NOW + timedelta(minutes=17)):
        parts, want = [], {}
        for window in wins:
            for topic in [CATCHALL] + [t for t in TOPICS if t]:
                for place in PLACES:
                    part = evidence_part(topic, place, window, at)
                    parts.append(part)
                    want[part] = window_mentions(db, alert_config, topic, place, window, at)
        found = [Finding(f"k{i}", "spike", None, None, "一般", "", "", (), evidence=(p,))
                 for i, p in enumerate(parts)]
        # a folded finding: a topic at a place and the catch-all there, newest kept
        both = (evidence_part("heating", "zhichu", wins[0], at), evidence_part(CATCHALL, "zhichu", wins[-1], at))
        found.append(Finding("both", "spike", None, None, "一般", "", "", (), evidence=both))
        got = fill_evidence(db, alert_config, found)
        for f, part in zip(got, parts):
            assert list(f.mention_ids) == want[part], part
            assert f.evidence == ()
        union = sorted(set(want[both[0]]) | set(want[both[1]]))[-EVIDENCE_MAX:]
        assert list(got[-1].mention_ids) == union
        assert any(len(w) == EVIDENCE_MAX for w in want.values())


def test_evidence_read_for_some_streets_and_topics_is_theirs(db, alert_config):
    """Without a district-wide catch-all part the read takes only the rows some part can use
    (the parts' streets, and the topics asked for district-wide): each part still gets what
    reading it alone gives, the newest kept where there are more."""
    realistic_store(db)
    spike(db, EVIDENCE_MAX + 20, topic="heating", place="zhichu", every=1)
    trend = Window("trend", DAY * 4, DAY, 1)
    groups = [
        # a cycle's slow burns: the catch-all at two streets and topics district-wide
        [(CATCHALL, "zhichu"), (CATCHALL, "dongshan"), ("education", None), ("heating", None)],
        # a topic at a street and the same topic district-wide, the catch-all elsewhere
        [("heating", "zhichu"), ("heating", None), (CATCHALL, "xiangyang")],
        # one part alone
        [("property", "tongshen")],
        [(CATCHALL, "zhichu")],
        [("education", None)],
    ]
    for at in (NOW, NOW + timedelta(minutes=17)):
        for window in windows(alert_config) + [trend]:
            for group in groups:
                parts = [evidence_part(topic, place, window, at) for topic, place in group]
                found = [Finding(f"k{i}", "trend", None, None, "一般", "", "", (), evidence=(p,))
                         for i, p in enumerate(parts)]
                got = fill_evidence(db, alert_config, found)
                for f, part, (topic, place) in zip(got, parts, group):
                    assert list(f.mention_ids) == window_mentions(db, alert_config, topic, place, window, at), part
    full = window_mentions(db, alert_config, CATCHALL, "zhichu", trend, NOW)
    assert len(full) == EVIDENCE_MAX

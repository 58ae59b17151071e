"""Warnings point at events: a spike names the events that make it up, with its trigger as a
person would say it; an unanswered complaint's follow-up on the same matter updates the
first warning instead of opening a second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from yuqing.alerts.detect import detect
from yuqing.alerts.event_link import event_warnings, trigger_sentence, warning_events
from yuqing.alerts.messages import evidence
from yuqing.analysis.stage import Analyser, analyse_pending
from yuqing.storage.events import Event
from yuqing.storage.models import Mention, Warning
from tests.alerts.helpers import NOW, baseline

BOARD = "people-liuyan-yantai"


class StandIn:
    def score(self, text, focus=()):
        return 0.1 if any(w in text for w in ("不热", "扰民", "没人", "推诿")) else 0.8


@pytest.fixture
def analyse(db, alert_config, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", NOW.isoformat())
    analyser = Analyser(alert_config, model=StandIn())
    return lambda: analyse_pending(db, alert_config, analyser)


_n = iter(range(1, 10**6))


def add(db, when, title, text, author="", source=BOARD) -> str:
    url = f"http://sample.test/{source}/{next(_n)}"
    with db.session() as s:
        s.add(Mention(source_id=source, url=url, kind="message", title=title, content=text,
                      author=author or f"居民{next(_n)}", published_at=when, fetched_at=when))
    return url


def test_follow_up_on_an_unanswered_complaint_updates_its_warning(db, alert_config, analyse):
    add(db, NOW - timedelta(days=8), "金沟寨路夜市占道经营噪音扰民",
        "白石街道金沟寨社区金沟寨路两侧每天晚上都有几十个摊位占道经营，一直摆到凌晨，噪音扰民，油烟很大。")
    analyse()
    assert detect(db, alert_config, NOW).opened == 1
    add(db, NOW - timedelta(days=7), "再次反映金沟寨路夜市噪音扰民",
        "上次反映的白石街道金沟寨路夜市占道经营问题还是没人管，摊位摆到凌晨，噪音扰民睡不着觉。")
    analyse()
    later = NOW + timedelta(days=1)
    assert detect(db, alert_config, later).opened == 0
    assert detect(db, alert_config, later + timedelta(hours=1)).opened == 0
    with db.session() as s:
        [w] = s.scalars(select(Warning)).all()
        assert w.kind == "unanswered" and len(evidence(s, w)) == 2
        [(event, n)] = warning_events(s, w)
        assert n == 2 and event.mentions == 2
        assert [x.id for x in event_warnings(s, event)] == [w.id]


def test_spike_names_its_event_and_says_what_triggered_it(db, alert_config, analyse):
    baseline(db)
    texts = [
        ("葡萄山小区暖气不热", "只楚街道葡萄山社区葡萄山小区5号楼暖气不热，室温只有13度，供热公司没人管。"),
        ("葡萄山社区多栋楼暖气不热", "葡萄山社区3号楼、5号楼、7号楼好多户暖气都不热，室温十几度，供热公司推诿。"),
        ("暖气不热，投诉多次无果", "只楚街道葡萄山小区9号楼暖气不热，投诉三次了没人来，室温还是15度。"),
        ("再次反映葡萄山社区暖气不热", "昨天已经反映过葡萄山社区暖气不热，到现在还是没人管，室温十三四度。"),
        ("只楚花园暖气不热", "只楚街道只楚社区只楚花园8号楼暖气不热，室温14度，供热公司没人管。"),
        ("葡萄山小区暖气不热，室温13度", "葡萄山社区葡萄山小区11号楼暖气不热，室温只有13度，请尽快处理。"),
    ]
    for i, (title, text) in enumerate(texts):
        add(db, NOW - timedelta(hours=1 + 2 * i), title, text)
    analyse()
    detect(db, alert_config, NOW)
    with db.session() as s:
        spikes = s.scalars(select(Warning).where(Warning.kind.in_(("spike", "trend")))).all()
        assert spikes, "a spike on 只楚街道 heating"
        w = spikes[0]
        events = warning_events(s, w)
        heating = s.scalars(select(Event).where(Event.mentions == len(texts))).one()
        assert events[0][0].id == heating.id
        sentence = trigger_sentence(alert_config, w, evidence(s, w, None))
    assert sentence.startswith("只楚街道近24小时")
    assert "负面信息" in sentence and "（平时约" in sentence
    assert sentence.endswith("集中在葡萄山社区")

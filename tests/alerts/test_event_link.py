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


def test_board_follow_up_days_later_is_evidence_on_the_running_warning(db, alert_config, monkeypatch):
    """A poster comes back four days later (past the grouping's 48 h gap), and a neighbour in
    the same community writes about the same matter: one event, one 'unanswered' warning
    holding all three messages. Another matter in the same community keeps its own warning.
    Real analysis (the sentiment model, topics, places) and real detection."""
    monkeypatch.setenv("YUQING_NOW", NOW.isoformat())
    analyser = Analyser(alert_config)
    start = NOW - timedelta(days=12)

    def analyse(at):
        monkeypatch.setenv("YUQING_NOW", at.isoformat())
        analyse_pending(db, alert_config, analyser)

    first = add(db, start, "福泰小区楼下烧烤店油烟直排噪音扰民",
                "我是幸福街道福泰社区福泰小区6号楼的住户，楼下新开的烧烤店把排烟管直接对着住宅楼，每天晚上"
                "油烟熏得家里不敢开窗，划拳喝酒一直闹到凌晨两点，老人孩子都睡不好，请环保和城管部门管一管。",
                author="刘女士")
    analyse(start + timedelta(hours=1))
    assert detect(db, alert_config, start + timedelta(days=5, hours=2)).opened == 1
    again = add(db, start + timedelta(days=4), "再次反映福泰小区烧烤店油烟扰民",
                "四天前反映过福泰小区楼下烧烤店油烟直排的问题，到现在没有任何答复，昨晚油烟还是往楼上灌，"
                "吵到凌晨，家里窗户都不敢开，希望尽快处理。", author="刘女士")
    neighbour = add(db, start + timedelta(days=5), "福泰社区烧烤店油烟熏人",
                    "福泰社区福泰小区楼下那家烧烤店的排烟管正对我家窗户，油烟大得呛人，晚上吵闹到后半夜，"
                    "已经忍了半个多月了。", author="孙先生")
    other = add(db, start + timedelta(days=5, hours=3), "福泰小区路灯坏了一个月没人修",
                "幸福街道福泰社区福泰小区东门到8号楼的路灯坏了一个多月，晚上黑漆漆的，老人出门摔了一跤，"
                "物业说不归他们管。", author="周先生")
    analyse(start + timedelta(days=5, hours=4))
    # the follow-up and the neighbour's message are in the first message's event, the
    # street-light message is not
    with db.session() as s:
        ids = {url: s.scalar(select(Mention.id).where(Mention.url == url))
               for url in (first, again, neighbour, other)}
    from yuqing.alerts.event_link import events_of_mentions
    with db.session() as s:
        [(event_id, n)] = events_of_mentions(s, [ids[first], ids[again], ids[neighbour]]).items()
        assert n == 3
        assert event_id not in events_of_mentions(s, [ids[other]])
    # each message passes five days unanswered; detection runs every hour of the days after
    for hours in range(0, 7 * 24, 6):
        detect(db, alert_config, start + timedelta(days=6, hours=hours))
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.kind == "unanswered")).all()
        assert len(warnings) == 2, [w.title for w in warnings]
        main = next(w for w in warnings if "烧烤" in w.title)
        assert {m.id for m in evidence(s, main)} == {ids[first], ids[again], ids[neighbour]}
        lamp = next(w for w in warnings if w is not main)
        assert {m.id for m in evidence(s, lamp)} == {ids[other]}

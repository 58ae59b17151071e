"""Events (事件): paraphrased complaints about one matter become one event, across channels and
analysis runs; other streets and other matters stay apart; bad input has a defined outcome."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from yuqing.analysis.event_facts import FactReader
from yuqing.analysis.event_view import event_detail, list_events
from yuqing.analysis.stage import Analyser, analyse_pending
from yuqing.storage.events import Event, EventKey, EventMention
from yuqing.storage.models import Mention

T0 = datetime(2024, 12, 2, 7, 0, tzinfo=timezone(timedelta(hours=8)))
BOARD, WEIBO, NEWS = "people-liuyan-yantai", "weibo-zhifu-fabu", "shm-yantai"

HEATING = [   # (hours after T0, source, author, title, text): one matter, many wordings
    (0.0, BOARD, "王先生", "葡萄山小区暖气不热",
     "我是只楚街道葡萄山社区葡萄山小区5号楼的居民，这两天降温，家里暖气一点都不热，室温只有13度，打供热公司电话一直占线。"),
    (0.7, WEIBO, "只楚老李", "",
     "只楚街道葡萄山社区这边暖气又不热了，室温14度，在家穿着羽绒服，供热公司电话打不通"),
    (2.0, BOARD, "李女士", "只楚花园暖气温度太低",
     "只楚社区只楚花园12号楼，暖气片上面温乎下面冰凉，室温15度，物业和供热公司互相推诿。"),
    (3.5, NEWS, "记者 鞠文博", "只楚街道多个小区居民反映暖气不热",
     "近日，多位家住芝罘区只楚街道的居民反映，葡萄山社区、只楚社区多个小区暖气不热，室内温度只有十三四度。供热公司热线很难打通。"),
    (5.0, WEIBO, "葡萄山小区业主", "",
     "暖气不热第三天了，打12345投诉说已转供热公司，到现在没人来，只楚街道葡萄山小区的朋友们你们家室温多少度？"),
]
OTHER_STREET = (1.0, BOARD, "赵女士", "幸福新村暖气不热",
                "幸福街道幸福社区幸福新村3号楼暖气不热，室温只有14度，供热公司一直没人来修。")
OTHER_MATTER = (1.5, BOARD, "孙先生", "只楚花园楼下垃圾堆放无人清运",
                "只楚街道只楚社区只楚花园楼下的垃圾桶已经三天没人清运了，垃圾堆成了小山，臭味很大。")


class StandIn:
    """The sentiment interface without the model: negative when a complaint word is present."""

    def score(self, text, focus=()):
        return 0.1 if any(w in text for w in ("不热", "没人", "推诿", "垃圾", "投诉")) else 0.8


@pytest.fixture
def analyser(default_config):
    return Analyser(default_config, model=StandIn())


_n = iter(range(1, 10**6))


def add(db, hours, source, author, title, text, when=True) -> str:
    url = f"http://sample.test/{source}/{next(_n)}"
    at = T0 + timedelta(hours=hours)
    with db.session() as s:
        s.add(Mention(source_id=source, url=url, title=title, content=text, author=author,
                      kind="post" if source == WEIBO else "message" if source == BOARD else "article",
                      published_at=at if when else None, fetched_at=at))
    return url


def event_of(db, url) -> int | None:
    with db.session() as s:
        return s.scalar(select(EventMention.event_id).join(Mention, Mention.id == EventMention.mention_id)
                        .where(Mention.url == url))


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(hours=6)).isoformat())


def test_paraphrased_complaints_are_one_event_across_runs(db, default_config, analyser):
    urls = [add(db, *row) for row in HEATING[:3]]
    other_street = add(db, *OTHER_STREET)
    other_matter = add(db, *OTHER_MATTER)
    analyse_pending(db, default_config, analyser, batch=2)
    urls += [add(db, *row) for row in HEATING[3:]]       # a later run
    analyse_pending(db, default_config, analyser)
    events = {event_of(db, u) for u in urls}
    assert len(events) == 1 and None not in events
    assert event_of(db, other_street) not in events
    assert event_of(db, other_matter) not in events
    with db.session() as s:
        e = s.get(Event, events.pop())
        assert e.mentions == 5 and e.place_id == "zhichu" and e.topic_id == "heating"
        assert "葡萄山社区" in e.communities and not e.stale
        assert e.channels == 3 and e.authors == 5
        assert e.title == "只楚街道多个小区居民反映暖气不热"
        assert 2 <= len(e.summary) <= 3
        texts = {m.url: f"{m.title}。{m.content}" for m in s.scalars(select(Mention))}
        for sentence in e.summary:     # verbatim, and linked to where it was said
            assert sentence["text"].rstrip("。") in texts[sentence["url"]]


def test_event_json_has_first_report_spread_path_and_all_urls(db, default_config, analyser):
    urls = [add(db, *row) for row in HEATING]
    analyse_pending(db, default_config, analyser)
    with db.session() as s:
        e = list_events(s)[0]
        data = event_detail(s, default_config, FactReader(default_config), e, T0 + timedelta(hours=6)).as_json()
    data = json.loads(json.dumps(data, ensure_ascii=False))
    assert data["first_report"]["url"] == urls[0]
    assert data["first_report"]["source"] == "人民网领导留言板·烟台市"
    # the 人民网领导留言板 is its own channel (issue 16), no longer a generic 留言板
    assert [s["channel"] for s in data["spread_path"]] == ["人民网领导留言板", "微博", "新闻网站"]
    assert data["spread_path"][1]["source"] == "微博 @只楚老李"
    assert sorted(data["mentions"]) == sorted(urls)
    assert data["status"] in ("新发", "上升", "高位", "回落", "平息")
    assert data["counts"]["mentions"] == 5 and data["counts"]["authors"] == 5
    assert set(data["hourly"]["series"]) == {"人民网领导留言板", "微博", "新闻网站"}
    assert all(x["url"] in urls for x in data["summary"])


def test_bridging_mention_merges_two_events(db, default_config, analyser):
    a = add(db, 0, BOARD, "甲", "葡萄山社区暖气不热", "只楚街道葡萄山社区暖气不热，室温13度，供热公司没人管。")
    b = add(db, 1, BOARD, "乙", "只楚社区暖气不热", "只楚街道只楚社区只楚花园暖气不热，室温14度，供热公司推诿。")
    analyse_pending(db, default_config, analyser)
    bridge = add(db, 2, NEWS, "记者", "只楚街道葡萄山社区、只楚社区暖气不热",
                 "只楚街道葡萄山社区、只楚社区多个小区暖气不热，室温只有十三四度，居民投诉供热公司没人管、互相推诿。")
    analyse_pending(db, default_config, analyser)
    assert event_of(db, a) == event_of(db, b) == event_of(db, bridge)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.merged_into.is_(None),
                                                                      Event.mentions > 0)) == 1


def test_spam_flood_from_one_account_is_one_voice(db, default_config, analyser):
    for i in range(40):
        add(db, i * 0.05, WEIBO, "刷屏号", "", "只楚街道葡萄山社区暖气不热！！！供热公司没人管！！！")
    add(db, 1, BOARD, "王先生", *HEATING[0][3:])
    analyse_pending(db, default_config, analyser)
    with db.session() as s:
        e = list_events(s)[0]
        assert e.mentions == 41 and e.authors == 2
        weights = default_config.settings.detection.authority_weight
        assert e.weight <= weights.get("official", 1.0) + weights.get("public", 1.0)


def test_bad_input_has_defined_outcomes(db, default_config, analyser):
    empty = add(db, 0, BOARD, "", "", "")
    title_only = add(db, 0.5, BOARD, "王先生", "葡萄山小区暖气不热", "")
    undated = add(db, 1, BOARD, "李女士", "只楚花园暖气不热",
                  "只楚街道只楚社区只楚花园暖气不热，室温15度，供热公司没人管。", when=False)
    huge = add(db, 2, NEWS, "", "只楚街道葡萄山社区暖气不热调查",
               "只楚街道葡萄山社区暖气不热，室温13度，供热公司没人管。" + "无关的长文字。" * 150_000)
    started = time.perf_counter()
    analyse_pending(db, default_config, analyser)
    assert time.perf_counter() - started < 60
    assert event_of(db, empty) is None                 # nothing to group: no event, still analysed
    with db.session() as s:
        assert s.scalar(select(Mention.analysed_at).where(Mention.url == empty)) is not None
        assert all(len(x["text"]) <= 121 for e in s.scalars(select(Event)) for x in e.summary)
    assert event_of(db, title_only) == event_of(db, undated) == event_of(db, huge) is not None


def test_quiet_events_leave_the_candidate_index(db, default_config, analyser, monkeypatch):
    first = add(db, 0, BOARD, *HEATING[0][2:])
    analyse_pending(db, default_config, analyser)
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=5)).isoformat())
    later = add(db, 4 * 24, BOARD, *HEATING[2][2:])
    analyse_pending(db, default_config, analyser)
    assert event_of(db, first) != event_of(db, later)
    with db.session() as s:
        old = s.get(Event, event_of(db, first))
        assert old.dormant and old.status == "平息"
        # only a board message's follow-up keys (its poster, its community) stay, FOLLOW_UP long
        keys = s.scalars(select(EventKey.key).where(EventKey.event_id == old.id)).all()
        assert sorted(keys) == [f"f:{BOARD}:a:王先生", f"f:{BOARD}:c:葡萄山社区"]
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=40)).isoformat())
    add(db, 39 * 24, WEIBO, "只楚老李", "", "今天只楚街道的暖气终于热了")
    analyse_pending(db, default_config, analyser)
    with db.session() as s:
        assert not s.scalars(select(EventKey).where(EventKey.event_id == old.id)).all()


def test_rerun_does_not_regroup(db, default_config, analyser):
    urls = [add(db, *row) for row in HEATING]
    analyse_pending(db, default_config, analyser)
    from yuqing.analysis.event_rebuild import group_ungrouped

    again = group_ungrouped(db, default_config)
    assert again.assigned == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EventMention)) == len(urls)


def test_two_workers_assigning_at_once_open_one_event_per_matter(db, default_config):
    """Analysis workers running side by side (issue 18): each mention lands in one event, and
    the matter is not split into one event per worker (assignment is serialised per batch)."""
    import threading

    urls = [add(db, *row) for row in HEATING] + [add(db, h + 0.1, *rest) for h, *rest in HEATING]
    errors = []

    def worker():
        try:
            analyse_pending(db, default_config, Analyser(default_config, model=StandIn()), batch=2)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EventMention)) == len(urls)
    assert len({event_of(db, u) for u in urls}) == 1


def test_an_official_notice_on_the_matter_is_its_response_not_a_complaint(db, default_config, analyser):
    urls = [add(db, *row) for row in HEATING]
    notice = add(db, 5.5, "zhifu-gov-news", "只楚街道办事处", "关于只楚街道葡萄山社区暖气不热问题的情况通报",
                 "近日，只楚街道葡萄山社区部分居民反映暖气不热、室温偏低、供热公司没人管。经核查，系换热站循环泵故障，"
                 "热力公司已连夜抢修，目前室温已恢复。")
    analyse_pending(db, default_config, analyser)
    assert event_of(db, notice) == event_of(db, urls[0])
    with db.session() as s:
        e = s.get(Event, event_of(db, notice))
        negative = dict(s.execute(select(Mention.url, Mention.negative)).all())
        assert e.mentions == 6 and e.negative == sum(negative[u] for u in urls)   # the 通报 is no complaint
        data = event_detail(s, default_config, FactReader(default_config), e, T0 + timedelta(hours=6)).as_json()
    assert [r["url"] for r in data["official_responses"]] == [notice]

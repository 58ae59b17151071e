"""Stories: the hand-written reprint pairs, and grouping in the analysis stage across batches and runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from yuqing.analysis.stage import Analyser, analyse_pending
from yuqing.analysis.stories import StoryIndex, same_story, signature, similarity
from yuqing.storage.models import Mention, Story
from tests.analysis.story_pairs import BASE, FOLLOW_UPS, pairs

T0 = datetime(2024, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.mark.parametrize("pair", pairs(), ids=lambda p: f"{p.family}-{p.kind}")
def test_story_pairs(pair):
    assert same_story(signature(pair.a), signature(pair.b)) == pair.same


def test_pair_set_is_big_enough_and_balanced():
    ps = pairs()
    assert len(ps) >= 60
    assert sum(p.same for p in ps) >= 25 and sum(not p.same for p in ps) >= 25
    assert {p.split for p in ps} == {"dev", "test"}


def test_old_or_empty_signatures_group_with_nothing():
    index = StoryIndex()
    index.add(b"\x00" * 512, 1)                  # a signature from before the current format
    index.add(signature(""), 2)
    assert len(index) == 0
    assert index.find(signature("")) is None
    assert similarity(b"\x00" * 512, signature("暖气不热")) == 0.0


class StandIn:
    """The sentiment interface, without the model: negative when a complaint word is present."""

    def score(self, text, focus=()):
        return 0.1 if any(w in text for w in ("不热", "停运", "推诿")) else 0.8


def story_text(family: int) -> tuple[str, str]:
    paras = BASE[family]
    return paras[0][:20], "\n".join(paras)


def add(db, url: str, title: str, content: str, when: datetime) -> None:
    with db.session() as s:
        s.add(Mention(source_id="test", url=url, title=title, content=content,
                      published_at=when, fetched_at=when))


@pytest.fixture
def analyser(default_config):
    return Analyser(default_config, model=StandIn())


def stories_of(db) -> dict[int, tuple[int, str]]:
    with db.session() as s:
        return {st.id: (st.copies, s.get(Mention, st.origin_mention_id).url)
                for st in s.scalars(select(Story))}


def test_stage_groups_copies_across_batches_and_runs(db, default_config, analyser, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=1)).isoformat())
    title, body = story_text(0)
    add(db, "http://a/1", title, body, T0)
    add(db, "http://b/1", "【转载】" + title, "【烟台民生网】" + body.replace("记者了解到", "据了解"), T0 + timedelta(hours=1))
    add(db, "http://c/1", *story_text(1), T0 + timedelta(hours=2))
    first = analyse_pending(db, default_config, analyser, batch=1)     # one mention per batch
    assert (first.analysed, first.new_stories) == (3, 2)
    # a later run: another copy, and a follow-up that is its own story
    add(db, "http://d/1", title, body[: len(body) * 2 // 3] + "……", T0 + timedelta(hours=5))
    add(db, "http://e/1", "回访", FOLLOW_UPS[0], T0 + timedelta(hours=6))
    second = analyse_pending(db, default_config, analyser)
    assert (second.analysed, second.new_stories) == (2, 1)
    assert sorted(stories_of(db).values()) == [(1, "http://c/1"), (1, "http://e/1"), (3, "http://a/1")]
    assert analyse_pending(db, default_config, analyser).analysed == 0     # rerun: nothing left


def test_earlier_copy_arriving_later_becomes_the_origin(db, default_config, analyser, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=1)).isoformat())
    title, body = story_text(2)
    add(db, "http://late/1", "【转载】" + title, "来源：某网站\n" + body, T0 + timedelta(hours=3))
    analyse_pending(db, default_config, analyser)
    add(db, "http://origin/1", title, body, T0)                          # crawled later, published earlier
    analyse_pending(db, default_config, analyser)
    [(copies, origin)] = stories_of(db).values()
    assert (copies, origin) == (2, "http://origin/1")
    with db.session() as s:
        story = s.scalars(select(Story)).one()
        assert story.first_seen_at == T0 and story.title == title


def test_stage_writes_topics_place_sentiment(db, default_config, analyser, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=1)).isoformat())
    add(db, "http://x/1", "葡萄山社区暖气不热", "室温只有十五度，供热公司没人管", T0)
    add(db, "http://x/2", "", "", T0)
    summary = analyse_pending(db, default_config, analyser)
    assert (summary.analysed, summary.negative) == (2, 1)
    with db.session() as s:
        m = s.scalars(select(Mention).where(Mention.url == "http://x/1")).one()
        assert m.place_id == "zhichu" and m.negative and [t.topic_id for t in m.topics] == ["heating"]
        assert set(m.topics[0].matched) >= {"暖气", "不热"}
        empty = s.scalars(select(Mention).where(Mention.url == "http://x/2")).one()
        # an empty text is still a story of its own (detection counts stories), merged with nothing
        assert empty.sentiment == 0.5 and empty.story_id not in (None, m.story_id)


def test_copies_within_one_batch_join_the_new_story(db, default_config, analyser, monkeypatch):
    monkeypatch.setenv("YUQING_NOW", (T0 + timedelta(days=1)).isoformat())
    title, body = story_text(3)
    for i in range(3):
        add(db, f"http://copy/{i}", title, ("【网站%d】" % i) + body, T0 + timedelta(minutes=i))
    summary = analyse_pending(db, default_config, analyser)
    assert (summary.analysed, summary.new_stories) == (3, 1)
    assert list(stories_of(db).values()) == [(3, "http://copy/0")]

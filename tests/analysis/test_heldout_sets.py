"""The held-out labelled sets stay usable: bench/eval_topics.py evaluates either set (or a
file given by path), and the blind sets cover every shipped topic. Nothing here looks
at how well the classifier does on them (that figure is only printed by the benchmark)."""

from __future__ import annotations

from collections import Counter

import pytest

from yuqing.analysis.labelled import read_labelled
from yuqing.config import load_config

from tests.benchload import BENCH, load



def _covered(name: str, at_least: int):
    """A blind set's items and topic counts, once it covers every topic (≥ 15 each) and every voice."""
    items = read_labelled(BENCH / "data" / name)
    counts = Counter(x.topic for x in items)
    topics = {t.id for t in load_config("default").topics}
    assert len(items) >= at_least
    assert set(counts) - {"other"} == topics
    assert min(counts[t] for t in topics) >= 15
    assert {x.voice for x in items} == {"complaint", "news", "notice", "response"}
    return items, counts


def test_blind_set_covers_every_topic_and_distractors():
    _, counts = _covered("topics_heldout2.txt", 400)
    assert counts["other"] >= 40


def test_fourth_blind_set_covers_every_topic_voice_and_distractors():
    items, counts = _covered("topics_heldout4.txt", 440)
    assert 0.15 <= counts["other"] / len(items) <= 0.2
    # news about local matters, not only notices and replies, in every topic
    assert all(any(x.topic == t and x.voice == "news" for x in items) for t in set(counts) - {"other"})
    assert len({(x.title, x.content) for x in items}) == len(items)


def test_fifth_blind_set_covers_every_topic_voice_and_distractors():
    items, counts = _covered("topics_heldout5.txt", 440)
    assert 0.15 <= counts["other"] / len(items) <= 0.2
    # every topic has local news, an official notice and an official reply, not only complaints
    for t in set(counts) - {"other"}:
        assert {x.voice for x in items if x.topic == t} == {"complaint", "news", "notice", "response"}, t
    assert len({(x.title, x.content) for x in items}) == len(items)


def test_eval_topics_takes_a_named_set_or_a_path(tmp_path, capsys):
    module = load("eval_topics")
    assert set(module.SETS) == {"heldout", "heldout2", "heldout3", "heldout4", "heldout5"} and all(p.is_file() for p in module.SETS.values())
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("# 两条\n"
                    "heating|complaint|public|message|市民|家里暖气不热|屋里只有十四度，暖气片是凉的\n"
                    "other|complaint|social|post|球迷|昨晚的球赛真精彩\n", encoding="utf-8")
    assert module.main(["--set", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "留出集 2 条" in out and "按主题" in out and "官方发声识别" in out
    with pytest.raises(SystemExit):
        module.main(["--set", str(tmp_path / "missing.txt")])
    assert "找不到留出集" in capsys.readouterr().err

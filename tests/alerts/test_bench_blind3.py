"""The fourth, blind-written phrase bank (bench/sim_phrases_blind3.py) is a drop-in for the
default one: it has every matter of the default bank with the same right 主管, covers every
topic owner, defines every optional name sim_month reads (so none of its months' wording falls
back to the default bank), and the generator draws its months from it. Nothing here measures
the detection on its months (only the coordinator does)."""

from __future__ import annotations

import re
import string

from yuqing.config import load_config

from tests.benchload import assert_bank_complete, load

# the slots sim_month's _Writer.fill offers; other names take only what their .format() passes
FILL_SLOTS = {"place", "road", "n", "unit", "title"}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_blind3_bank_is_complete():
    assert_bank_complete("sim_phrases_blind3")
    bank = load("sim_phrases_blind3")
    assert all(m in bank.RESPONSES for m, v in bank.MATTERS.items() if "critical" in v)


def test_blind3_templates_use_only_the_slots_they_are_given():
    bank = load("sim_phrases_blind3")
    filled = [t for m in bank.MATTERS.values() for k, v in m.items() if k != "owners" for t in v]
    filled += bank.NOTICES + bank.NEUTRAL_NEWS + [t for r in bank.RESPONSES.values() for t in r]
    filled += [t for pair in bank.CRITICAL_POSTS + bank.INQUIRIES + bank.CHATTER for t in pair]
    assert all(_fields(t) <= FILL_SLOTS for t in filled)
    for names, slots in ((("REPOST", "NOTICE_BODIES", "NOTICE_RELAYS", "CAMPAIGN_BODIES", "CAMPAIGN_REPOSTS",
                           "NEUTRAL_BODIES", "PRAISE_BODIES"), {"title"}),
                         (("FOLLOWUP",), {"title", "n"}), (("FOLLOWUP_BODIES",), {"body"}),
                         (("RESPONSE_BODIES",), {"resp"}), (("NEWS_FRAMES",), {"title", "body"}),
                         (("BOARD_REPLIES", "EVENT_REPLIES", "GOV_ACCOUNTS"), set())):
        for name in names:
            assert all(_fields(t) <= slots for t in getattr(bank, name)), name
    # authors get a number appended; a name ending in digits would not be recognised again
    assert not any(a[-1].isdigit() for a in bank.AUTHORS + bank.GOV_ACCOUNTS)


def test_simulation_draws_from_blind3():
    sim, bank = load("sim_month"), load("sim_phrases_blind3")
    config = load("simulate_month").sim_config(load_config("default"))
    month = sim.generate(7, config, days=3, shapes=["spike_large", "critical", "campaign", "unanswered"],
                         phrases="blind3")
    assert {e.matter for e in month.events} <= set(bank.MATTERS)
    people = {i.author.rstrip("0123456789") for i in month.items if i.author and i.source != "sim-gov"}
    assert people <= set(bank.AUTHORS) | set(bank.GOV_ACCOUNTS)
    # no month or date named in a title: the simulated month spans the turn of the year
    assert not any(re.search(r"\d+月|\d+日", i.title) for i in month.items)

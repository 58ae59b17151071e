"""The fifth blind bank (bench/sim_phrases_blind4.py) is a drop-in for the default one, every
one of its templates fills with the slots sim_month gives it, and a month drawn from it uses
only its wording. Nothing here runs detection on it (that is the coordinator's measurement)."""

from __future__ import annotations

import string

from yuqing.config import load_config

from tests.benchload import assert_bank_complete, load

# what sim_month passes to str.format for each name (matters' lists get the _Writer.fill slots)
FILL = {"place": "只楚街道", "road": "胜利路", "n": 3, "unit": 2, "title": "标题"}
SLOTS = {"NEWS_FRAMES": {"title", "body"}, "RESPONSE_BODIES": {"resp"}, "FOLLOWUP_BODIES": {"body"},
         "FOLLOWUP": {"title", "n"}, "REPOST": {"title"}, "NEUTRAL_BODIES": {"title"},
         "NOTICE_BODIES": {"title"}, "NOTICE_RELAYS": {"title"}, "PRAISE_BODIES": {"title"},
         "CAMPAIGN_BODIES": {"title"}, "CAMPAIGN_REPOSTS": {"title"}, "BOARD_REPLIES": set(),
         "EVENT_REPLIES": set(), "GOV_ACCOUNTS": set(), "PLACELESS": set(), "NOTICES": set(FILL),
         "NEUTRAL_NEWS": set(FILL)}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_blind4_bank_is_complete():
    assert_bank_complete("sim_phrases_blind4")


def test_blind4_templates_fill_with_the_slots_sim_month_gives():
    bank, default = load("sim_phrases_blind4"), load("sim_phrases")
    assert set(bank.MATTERS) > set(default.MATTERS)         # matters beyond the default's
    for key, matter in bank.MATTERS.items():
        for field, texts in matter.items():
            if field != "owners":
                assert texts and all(_fields(t) <= set(FILL) for t in texts), (key, field)
        assert len(matter["bodies"]) >= 2, key               # a news item draws two
    for r in bank.RESPONSES.values():
        assert all(_fields(t) <= set(FILL) for t in ([r] if isinstance(r, str) else r))
    for name, slots in SLOTS.items():
        assert all(_fields(t) <= slots for t in getattr(bank, name)), name
    for name in ("CRITICAL_POSTS", "INQUIRIES", "CHATTER"):
        assert all(_fields(h) | _fields(t) <= set(FILL) for h, t in getattr(bank, name)), name


def test_simulation_draws_from_blind4():
    sim, bank = load("sim_month"), load("sim_phrases_blind4")
    # generate reads only places, departments and settings: no need for simulate_month's sources
    month = sim.generate(11, load_config("default"), days=3, shapes=["spike_large", "critical", "unanswered", "campaign"],
                         phrases="blind4")
    assert {e.matter for e in month.events} <= set(bank.MATTERS)
    people = {i.author.rstrip("0123456789") for i in month.items if i.author and i.source != "sim-gov"}
    assert people <= set(bank.AUTHORS) | set(bank.GOV_ACCOUNTS)
    assert {i.origin for i in month.items if i.origin} <= set(bank.ORIGINS)

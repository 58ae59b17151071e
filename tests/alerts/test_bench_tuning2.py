"""The second tuning bank (bench/sim_phrases_tuning2.py) is a drop-in for the default one and
defines every optional name sim_month reads, so no sentence of its months falls back to the
default bank's wording."""

from __future__ import annotations

from yuqing.config import load_config

from tests.benchload import assert_bank_complete, load


def test_tuning2_bank_is_complete():
    assert_bank_complete("sim_phrases_tuning2")


def test_simulation_draws_from_tuning2():
    sim, bank = load("sim_month"), load("sim_phrases_tuning2")
    config = load("simulate_month").sim_config(load_config("default"))
    month = sim.generate(7, config, days=3, shapes=["spike_large", "critical", "campaign"], phrases="tuning2")
    assert {e.matter for e in month.events} <= set(bank.MATTERS)
    people = {i.author.rstrip("0123456789") for i in month.items if i.author and i.source != "sim-gov"}
    assert people <= set(bank.AUTHORS) | set(bank.GOV_ACCOUNTS)

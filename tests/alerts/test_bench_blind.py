"""The blind phrase bank (bench/sim_phrases_blind.py) stays a drop-in for the default one:
it has every matter of the default bank with the same owners, covers every department that
owns a topic, and simulate_month generates from it on request while the default months stay
as they were."""

from __future__ import annotations

from yuqing.config import load_config

from tests.benchload import load



def test_blind_bank_has_every_matter_and_every_topic_owner():
    default, blind = load("sim_phrases"), load("sim_phrases_blind")
    assert set(default.MATTERS) <= set(blind.MATTERS)
    for key, matter in default.MATTERS.items():
        assert blind.MATTERS[key]["owners"] == matter["owners"], key
        assert set(matter) <= set(blind.MATTERS[key]), key          # titles, bodies, news, praise, critical
    owners = {t.owner for t in load_config("default").topics}
    assert owners <= set().union(*(m["owners"] for m in blind.MATTERS.values()))
    assert len(blind.ORIGINS) >= 14                                   # a reprint wave samples up to 14


def test_simulation_draws_from_the_chosen_bank():
    sim = load("sim_month")
    config = load("simulate_month").sim_config(load_config("default"))
    banks = {"default": load("sim_phrases"), "blind": load("sim_phrases_blind")}
    for name, bank in banks.items():
        month = sim.generate(7, config, days=3, shapes=["spike_large", "campaign"], phrases=name)
        assert {e.matter for e in month.events} <= set(bank.MATTERS)
        people = {i.author.rstrip("0123456789") for i in month.items if i.author and i.source != "sim-gov"}
        accounts = set(getattr(bank, "GOV_ACCOUNTS", ["芝罘发布"]))
        assert people - accounts and people <= set(bank.AUTHORS) | accounts, name
        assert any(i.source == "sim-board" and i.reply for i in month.items)

"""The benchmarks still run, on tiny inputs; the small simulation meets the issue's targets."""

from __future__ import annotations

import json

from tests.benchload import load



def test_small_simulation_finds_the_scripted_events_in_time(capsys):
    """A generated week (seed 1): a large spike, an incident with its 通报, a reprint wave and
    an official campaign, through the real analysis and detection stages."""
    assert load("simulate_month").main(["--quick", "--seeds", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    total, [month] = result["summary"], result["months"]
    assert total["recall"] == 1.0 and total["severity"] == 1.0, month["details"]
    assert month["false_warnings"] == []          # nothing for the campaign or for noise
    assert total["median_minutes_to_warn"] <= total["poll_minutes"]


def test_detection_benchmark_runs_quick(capsys):
    assert load("bench_detect").main(["--quick", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "sqlite" in out and "稳定周期" in out

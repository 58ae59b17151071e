"""The benchmarks still run, on tiny inputs; the small simulation meets the issue's targets."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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

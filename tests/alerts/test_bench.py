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
    assert load("simulate_month").main(["--quick", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recall"] == 1.0 and result["precision"] == 1.0, result
    assert result["false_warnings"] == []                      # no warning for ordinary noise
    assert result["severity"] == {"小幅聚集": ["一般", ["一般"]], "突发事件": ["重大", ["重大"]]}
    assert result["latency_s"]["n"] == 2 and result["latency_s"]["max"] <= result["target_s"]


def test_detection_benchmark_runs_quick(capsys):
    assert load("bench_detect").main(["--quick", "--rounds", "1"]) == 0
    out = capsys.readouterr().out
    assert "sqlite" in out and "稳定周期" in out

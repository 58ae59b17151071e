"""Load a script of bench/ as a module, for tests that check the benchmarks still run."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))      # bench scripts import their siblings by name
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def assert_bank_complete(name: str) -> None:
    """A phrase bank is a drop-in for the default one: every default matter with the same
    主管, every topic owner covered, enough outlets, and every name sim_month reads defined
    (so none of its months falls back to the default bank's wording)."""
    from yuqing.config import load_config

    sim, default, bank = load("sim_month"), load("sim_phrases"), load(name)
    for key, matter in default.MATTERS.items():
        assert bank.MATTERS[key]["owners"] == matter["owners"], key
        assert set(matter) <= set(bank.MATTERS[key]), key
    owners = {t.owner for t in load_config("default").topics}
    assert owners <= set().union(*(m["owners"] for m in bank.MATTERS.values()))
    assert len(bank.ORIGINS) >= 14
    source = Path(sim.__file__).read_text(encoding="utf-8")
    optional = set(re.findall(r'say\("([A-Z_]+)"', source)) | set(re.findall(r'bank\.module, "([A-Z_]+)"', source))
    assert optional and all(getattr(bank, n, None) for n in optional | set(sim.REQUIRED)), optional

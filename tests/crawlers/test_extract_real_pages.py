"""Accuracy targets on the real saved pages in ../shared (skipped on a fresh clone)."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / ".." / "shared" / "fixtures" / "real"
TARGETS = {"title": 0.95, "published_at": 0.95, "content": 0.90}


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_extract", REPO / "bench" / "eval_extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (FIXTURES / "articles").is_dir(),
                    reason=f"real page fixtures not present at {FIXTURES} (they live outside the repo)")
def test_accuracy_targets_on_real_pages(capsys):
    module = _eval_module()
    rates = module.evaluate(FIXTURES, baseline=False)
    report = capsys.readouterr().out
    # Disputed labels (listed with reasons in bench/eval_extract.py) are excluded; everything
    # else must meet the targets.
    for field, target in TARGETS.items():
        assert rates["ours:agreed"][field] >= target, f"{field} below target\n{report}"
    assert len(module.DISPUTED) <= 4, "more disputed labels than reviewed; re-check before adding"

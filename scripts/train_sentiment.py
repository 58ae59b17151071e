"""Rebuild the bundled sentiment model (analysis/sentiment_model/) from ../shared/sentiment/.

    python scripts/train_sentiment.py [--data DIR] [--out DIR] [--seed N]

Deterministic for a fixed seed: same data, same model. Trains on *.train.tsv only; prints the
cross-validated training scores and the dev scores (dev is never used to fit anything).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.analysis.sentiment import BUNDLED  # noqa: E402
from yuqing.analysis.sentiment_cli import main as sentiment_main  # noqa: E402

DEFAULT_DATA = REPO / ".." / "shared" / "sentiment"


def main(argv: list[str] | None = None) -> int:
    """`yuqing sentiment train` with the bundled model's defaults (data from ../shared)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=BUNDLED)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return sentiment_main(["train", "--data", str(args.data.resolve()), "--out", str(args.out),
                           "--seed", str(args.seed)])


if __name__ == "__main__":
    sys.exit(main())

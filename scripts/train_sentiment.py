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

from analysis.sentiment import BUNDLED  # noqa: E402
from analysis.sentiment_train import format_rows, train  # noqa: E402

DEFAULT_DATA = REPO / ".." / "shared" / "sentiment"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=BUNDLED)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"找不到训练数据目录：{args.data}", file=sys.stderr)
        return 2
    report = train(args.data.resolve(), args.out, seed=args.seed,
                   log=lambda m: print(m, file=sys.stderr, flush=True))
    print(f"模型已写入 {report.out_dir}（特征 {report.n_features} 个，用时 {report.seconds:.0f} 秒）")
    for name, (n, pos) in report.sizes.items():
        print(f"  {name}: {n} 条，正例 {pos}")
    if report.oof:
        print("训练集交叉验证（折外）：")
        print(format_rows(report.oof))
    if report.dev:
        print("dev 集：")
        print(format_rows(report.dev))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Texts per second on one core: SentimentModel.score_many vs stock SnowNLP(text).sentiments,
on the same dev texts in the same run.

    python bench/bench_sentiment.py [--data DIR] [--model PATH] [--per-set N] [--rounds R] [--quick]

Each set is timed in R alternating rounds (ours, stock, ours, stock, ...); the best round of
each counts, so a burst of load from other processes hurts both sides alike. Model load and
jieba's dictionary load are outside the timing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO / ".." / "shared" / "sentiment"


def _timed(fn, texts: list[str], results: list[float]) -> None:
    started = time.perf_counter()
    fn(texts)
    results.append(time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None, help="模型目录（默认为内置模型）")
    parser.add_argument("--per-set", type=int, default=300, help="每个 dev 集取前 N 条")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="每集 20 条、1 轮")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("*.dev.tsv")) if args.data.is_dir() else []
    if not files:
        print(f"没有找到情感评测数据：{args.data}（../shared 不存在或为空，跳过测速）")
        return 0
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})   # one core, literally
        except OSError:
            pass
    from yuqing.analysis.sentiment import SentimentModel, StockSnowNLP, tokenize
    from yuqing.analysis.sentiment_train import load_tsv

    per_set, rounds = (20, 1) if args.quick else (args.per_set, args.rounds)
    ours = SentimentModel.load(args.model)
    stock = StockSnowNLP()
    tokenize("预热分词词典")                    # jieba's dictionary load is not scored
    stock.score("预热")
    print(f"每集 {per_set} 条，{rounds} 轮取最快；单核")
    print(f"{'数据集':<16}{'条数':>5}{'平均字数':>7}{'本模型 条/秒':>12}{'SnowNLP 条/秒':>14}{'倍数':>7}")
    total_n, total_ours, total_stock = 0, 0.0, 0.0
    ratios = []
    for path in files:
        texts = [t for _, t in load_tsv(path)][:per_set]
        t_ours: list[float] = []
        t_stock: list[float] = []
        for _ in range(rounds):
            _timed(ours.score_many, texts, t_ours)
            _timed(stock.score_many, texts, t_stock)
        a, b = min(t_ours), min(t_stock)
        total_n += len(texts)
        total_ours += a
        total_stock += b
        ratios.append(b / a)
        name = path.name.removesuffix(".dev.tsv")
        avg = sum(map(len, texts)) / len(texts)
        print(f"{name:<18}{len(texts):>6}{avg:>10.0f}{len(texts) / a:>14.0f}{len(texts) / b:>14.1f}{b / a:>9.1f}×")
    print(f"{'合计':<17}{total_n:>6}{'':>10}{total_n / total_ours:>14.0f}{total_n / total_stock:>14.1f}"
          f"{total_stock / total_ours:>9.1f}×")
    print(f"最小倍数 {min(ratios):.1f}×（目标 ≥ 20×）")
    if args.quick:
        print("（--quick 每集只有 20 条、1 轮，倍数波动大，仅作冒烟检查；正式数字请不加 --quick 运行）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

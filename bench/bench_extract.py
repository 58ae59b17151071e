"""Pages per second on one core: crawlers.extract vs trafilatura on the same bytes, same run.

    python bench/bench_extract.py [--fixtures DIR] [--quick] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing.crawlers.extract import extract_article  # noqa: E402

DEFAULT_FIXTURES = REPO / ".." / "shared" / "fixtures" / "real"


def _rate(fn, pages: list[bytes], rounds: int) -> float:
    fn(pages[0])  # warm caches and lazy imports outside the timing
    started = time.perf_counter()
    for _ in range(rounds):
        for body in pages:
            fn(body)
    return rounds * len(pages) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--quick", action="store_true", help="one round, ours + trafilatura on 10 pages")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    paths = sorted((args.fixtures / "articles").glob("*.html"))
    if not paths:
        print(f"没有找到真实页面样本：{args.fixtures}（跳过测速）")
        return 0
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # "one core" literally
        except OSError:
            pass
    pages = [p.read_bytes() for p in paths]
    rounds = 1 if args.quick else args.rounds
    if args.quick:
        pages = pages[:10]
    ours = _rate(lambda b: extract_article(b, ""), pages, rounds)
    print(f"pages: {len(pages)} x {rounds} rounds, {sum(map(len, pages)) / 1024:.0f} KiB per round")
    print(f"crawlers.extract : {ours:8.1f} pages/s")
    try:
        from trafilatura import bare_extraction  # dev/bench only
    except ImportError:
        print("trafilatura      : not installed (pip install trafilatura to compare)")
        return 0
    theirs = _rate(lambda b: bare_extraction(b, with_metadata=True), pages, 1)
    print(f"trafilatura      : {theirs:8.1f} pages/s")
    print(f"ratio            : {ours / theirs:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: run every benchmark in turn; each prints its own figures and ratio.

Benchmarks never fail the build: a benchmark that cannot run (for example because
../shared is absent) says why and the others go on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_startup.py", "bench_extract.py", "bench_sentiment.py", "bench_analysis.py", "bench_crawl.py",
         "bench_crawl_profile.py", "bench_workers.py", "bench_analysis_workers.py",
         "bench_detect.py", "simulate_month.py", "eval_stories.py", "eval_events.py", "bench_events.py",
         "eval_topics.py"]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    summary = []
    for name in ORDER:
        script = HERE / name
        if not script.exists():
            summary.append((name, "缺失（尚未实现）", 0.0))
            continue
        print(f"\n===== {name} =====", flush=True)
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(script), *(["--quick"] if quick else [])])
        summary.append((name, "完成" if proc.returncode == 0 else f"退出码 {proc.returncode}",
                        time.monotonic() - started))
    print("\n===== 汇总 =====")
    for name, status, seconds in summary:
        print(f"{name:22s} {status:12s} {seconds:7.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How long the CLI takes to start, as a ratio to `python -c pass` measured in the same run.

Officers and scripts call `yuqing` many times a day. Targets (issue 11), on one idle core:
`yuqing --help` ≤ 0.3 s and `echo 好 | yuqing sentiment` ≤ 1 s. Each command runs N times; we
report the median wall time and the median CPU time (user + sys of the child, which a busy
machine inflates less than wall time) and both as multiples of the interpreter's own start.

    python bench/bench_startup.py [--quick]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _yuqing() -> list[str]:
    script = BIN / "yuqing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yuqing.app.cli"]


def measure(cmd: list[str], stdin: bytes | None, runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str]) -> int:
    runs = 3 if "--quick" in argv else 9
    os.environ.setdefault("YUQING_HOME", str(Path("var/bench-startup").resolve()))
    # one warm-up each: jieba writes its dictionary cache on the very first run of a machine
    cases = [("python -c pass", [sys.executable, "-c", "pass"], None),
             ("yuqing --help", [*_yuqing(), "--help"], None),
             ("echo 好 | yuqing sentiment", [*_yuqing(), "sentiment"], "好\n".encode())]
    for _, cmd, stdin in cases:
        measure(cmd, stdin, 1)
    rows = [(name, *measure(cmd, stdin, runs)) for name, cmd, stdin in cases]
    base_wall, base_cpu = rows[0][1], rows[0][2]
    print(f"命令启动时间（{runs} 次取中位数；比值 = 该命令 / python -c pass，同一次运行）")
    print(f"{'命令':28s} {'墙钟':>8s} {'CPU':>8s} {'墙钟比':>7s} {'CPU比':>7s}")
    for name, wall, cpu in rows:
        print(f"{name:28s} {wall:7.3f}s {cpu:7.3f}s {wall / base_wall:6.1f}× {cpu / max(base_cpu, 1e-3):6.1f}×")
    load = os.getloadavg()[0]
    print(f"机器负载 {load:.1f}（{os.cpu_count()} 核）；目标：--help ≤ 0.3 s，sentiment ≤ 1 s（单核空闲时）")
    shutil.rmtree("var/bench-startup", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

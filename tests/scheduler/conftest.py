"""Scheduler fixtures: small config directories with fast clocks, scheduler processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yuqing.config.loader import DEFAULT_DIR, DEMO_DIR

REPO = Path(__file__).resolve().parents[2]

FAST_SETTINGS = """\
district: 芝罘区
delivery:
  group_wait: 0s
  # no quiet hours: these tests wait for every delivery, whatever hour CI runs at
  quiet_start: "00:00"
  quiet_end: "00:00"
schedules:
  analysis: {analysis}
  detection: {detection}
  delivery: {delivery}
  escalation: {escalation}
  digest_times: []
  weekly_report: ""
"""


def write_config(directory: Path, sources_interval: str | None = None, only: list[str] | None = None,
                 analysis="1h", detection="1h", delivery="1h", escalation="1h") -> Path:
    """A profile over the demo config: fast clocks; demo sources with a short interval,
    only some of them, or none (only=[])."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "profile.yaml").write_text(f"extends: {DEFAULT_DIR}\n", encoding="utf-8")
    (directory / "settings.yaml").write_text(FAST_SETTINGS.format(
        analysis=analysis, detection=detection, delivery=delivery, escalation=escalation),
        encoding="utf-8")
    text = (DEMO_DIR / "sources.yaml").read_text(encoding="utf-8")
    if sources_interval:
        text = re.sub(r"interval: \S+", f"interval: {sources_interval}", text)
        text = text.replace("priority: high", "priority: normal")
    if only is not None:
        blocks = re.split(r"\n(?=  - id: )", text)
        keep = [b for b in blocks[1:] if re.match(r"  - id: (\S+)", b).group(1) in only]
        text = "sources:\n" + "\n".join(keep) if keep else "sources: []\n"
    (directory / "sources.yaml").write_text(text, encoding="utf-8")
    return directory


class SchedulerProcess:
    """`python scheduler.py` as a real child process, logs to a file."""

    def __init__(self, config_dir: Path, db_url: str, home: Path, ttl: float = 2.0,
                 env: dict | None = None, log_name: str = "scheduler"):
        self.log = home / f"{log_name}-{time.monotonic_ns()}.out"
        home.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, "YUQING_HOME": str(home), "YUQING_DATABASE_URL": db_url,
                       **(env or {})}
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, str(REPO / "scheduler.py"), "--config", str(config_dir),
                 "--lease-ttl", str(ttl), "--stop-grace", "10"],
                stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=REPO)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def terminate(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def job_children(parent: int) -> list[int]:
    """Job processes started by scheduler `parent` that are still alive."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if b"yuqing.app.jobs" in cmd and b"--parent" in cmd and state != "Z":
            if cmd[cmd.index(b"--parent") + 1] == str(parent).encode():
                found.append(int(entry.name))
    return found


def wait_for(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def scheduler_processes():
    started: list[SchedulerProcess] = []

    def start(*args, **kwargs) -> SchedulerProcess:
        proc = SchedulerProcess(*args, **kwargs)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()

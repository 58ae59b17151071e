"""Structured logs: one key=value line per event, to stderr and $YUQING_HOME/logs/<name>.log.

    log.info("job run", extra={"kv": {"job": "analysis", "status": "ok", "duration": 1.2}})
    -> ts=2026-11-27T08:00:01+08:00 level=INFO logger=yuqing.app.jobs msg="job run" job=analysis ...

key=value rather than JSON: greppable by the duty engineer, still machine-parseable
(`parse_line`). Times are Asia/Shanghai with their offset.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from datetime import datetime
from pathlib import Path

from yuqing.paths import home
from yuqing.timeutil import SHANGHAI

_BARE = re.compile(r"^[^\s\"=]+$")
_PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def quote(value: object) -> str:
    if isinstance(value, float):
        value = f"{value:.3f}"
    text = str(value)
    if text and _BARE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, SHANGHAI).isoformat(timespec="milliseconds")
        pairs = {"ts": ts, "level": record.levelname, "logger": record.name,
                 "msg": record.getMessage()}
        pairs.update(getattr(record, "kv", None) or {})
        if record.exc_info:
            pairs["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{k}={quote(v)}" for k, v in pairs.items())


def parse_line(line: str) -> dict[str, str]:
    out = {}
    for key, value in _PAIR.findall(line):
        if value.startswith('"'):
            value = value[1:-1].replace('\\n', "\n").replace('\\"', '"').replace("\\\\", "\\")
        out[key] = value
    return out


def log_dir() -> Path:
    path = home() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def setup_logging(name: str = "scheduler", level: int = logging.INFO,
                  max_bytes: int = 10 * 1024 * 1024, backups: int = 10) -> Path:
    """Route the root logger to stderr and a rotating file; returns the file's path."""
    path = log_dir() / f"{name}.log"
    formatter = KeyValueFormatter()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_yuqing", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes,
                                                        backupCount=backups, encoding="utf-8")
    stream = logging.StreamHandler(sys.stderr)
    for handler in (file_handler, stream):
        handler.setFormatter(formatter)
        handler._yuqing = True
        root.addHandler(handler)
    root.setLevel(level)
    # APScheduler logs every submission at INFO; our own line per run says more.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)     # migrations log each plugin
    return path

"""Small helpers shared by CLI commands."""

from __future__ import annotations

import sys
from datetime import datetime

from rich.console import Console

from yuqing.config import ConfigError
from yuqing.config.types import parse_duration
from yuqing.storage.configured import open_store  # noqa: F401  (the commands' one opener)
from yuqing.timeutil import as_aware, now


def print_config_problems(console: Console, exc: ConfigError) -> None:
    # plain print: rich would wrap the long key paths and hints mid-word
    print(exc.report(), file=sys.stderr)


def parse_since(text: str) -> datetime:
    try:
        return now() - parse_duration(text)
    except ValueError:
        pass
    try:
        return as_aware(datetime.fromisoformat(text))
    except ValueError:
        raise SystemExit(f"无法识别的时间“{text}”：请写 ISO 时间（2024-07-01T08:00）或时长（12h、2d）") from None



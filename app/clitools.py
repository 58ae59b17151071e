"""Small helpers shared by CLI commands."""

from __future__ import annotations

import sys

from rich.console import Console

from yuqing.config import ConfigError
from yuqing.config.types import parse_since  # noqa: F401  (shared by the commands)
from yuqing.storage.configured import open_store  # noqa: F401  (the commands' one opener)


def print_config_problems(console: Console, exc: ConfigError) -> None:
    # plain print: rich would wrap the long key paths and hints mid-word
    print(exc.report(), file=sys.stderr)




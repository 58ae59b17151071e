"""The config named on the command line and its database: what every command opens first.

Here rather than in the CLI layer so that each stage's own subcommands (alerts/cli.py,
reports/cli.py …) can open the store without importing the orchestration on top of them."""

from __future__ import annotations

from yuqing.config import load_config
from yuqing.storage.db import open_database


def open_store(args):
    """The config named by `--config` and its database (migrated)."""
    config = load_config(args.config)
    return config, open_database(config.settings.database.url)

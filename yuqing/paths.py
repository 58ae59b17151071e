"""Where the system keeps its data: YUQING_HOME (default ./var)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    path = Path(os.environ.get("YUQING_HOME", "var")).resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)    # data of citizens: owner only
    return path


def private_files() -> None:
    """Everything this process and its children create is owner-only (0600 files, 0700
    folders): the SQLite database, digests, reports and notices hold citizens' complaints."""
    os.umask(0o077)


def default_database_url() -> str:
    return f"sqlite:///{home() / 'yuqing.db'}"

"""Job targets for the scheduler tests: one that works, one that raises, one that hangs."""

from __future__ import annotations

import os
import time
from pathlib import Path


def ok(config, db, source_id=None) -> dict:
    return {"pid": os.getpid()}


def boom(config, db, source_id=None) -> dict:
    raise RuntimeError("故意失败")


def hang(config, db, source_id=None) -> dict:
    # leave our pid where the test can check that the timeout really killed us
    from yuqing.paths import home

    (home() / "hang.pid").write_text(str(os.getpid()))
    time.sleep(3600)
    return {}

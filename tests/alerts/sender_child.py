"""A sender in its own process, for the crash test: `python -m tests.alerts.sender_child
<database url> <channels as JSON> <ISO time>`; the test SIGKILLs it mid-send."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta

from yuqing.alerts.deliver import send_due
from yuqing.config import load_config
from yuqing.storage.db import Database
from tests.alerts.helpers import with_channels


def main(url: str, channels: str, at: str) -> None:
    config = with_channels(load_config("default"), json.loads(channels), group_wait=timedelta(0))
    db = Database(url)
    print(send_due(db, config, datetime.fromisoformat(at)), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])

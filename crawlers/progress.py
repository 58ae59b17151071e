"""Progress of a crawl, told by the child process to its parent as JSON lines on stdout.

    YUQING-CRAWL-PROGRESS {"event": "start", "source": "sample-portal", "name": "…", "run_id": 7}
    YUQING-CRAWL-PROGRESS {"event": "progress", "source": "sample-portal", "pages": 12, …}
    YUQING-CRAWL-PROGRESS {"event": "done", "source": "sample-portal", "summary": {…}}

Lines are plain stdout, so a parent that ignores them (or a person running the child by hand)
loses nothing; the final summary line stays the contract for results.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from typing import Callable, TextIO

PROGRESS_MARK = "YUQING-CRAWL-PROGRESS "
MIN_INTERVAL = 0.25          # seconds between progress lines of one source


@dataclass(frozen=True)
class ProgressEvent:
    event: str               # start / progress / done
    source: str
    name: str = ""
    run_id: int | None = None
    pages: int = 0
    seen: int = 0
    new: int = 0
    failed: int = 0
    summary: dict | None = None


def parse_progress(line: str) -> ProgressEvent | None:
    if not line.startswith(PROGRESS_MARK):
        return None
    try:
        data = json.loads(line[len(PROGRESS_MARK):])
        return ProgressEvent(**data)
    except (ValueError, TypeError):
        return None


class ProgressWriter:
    """Child side: throttled JSON lines, one writer for all spiders of the process."""

    def __init__(self, out: TextIO | None = None, clock: Callable[[], float] = time.monotonic):
        self.out = out or sys.stdout
        self.clock = clock
        self._last: dict[str, float] = {}

    def _emit(self, event: ProgressEvent) -> None:
        data = {k: v for k, v in event.__dict__.items() if v not in (None, "", 0) or k in (
            "event", "source")}
        self.out.write(PROGRESS_MARK + json.dumps(data, ensure_ascii=False) + "\n")
        self.out.flush()

    def start(self, source_id: str, name: str, run_id: int) -> None:
        self._emit(ProgressEvent("start", source_id, name=name, run_id=run_id))

    def progress(self, source_id: str, stats, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._last.get(source_id, -1e9) < MIN_INTERVAL:
            return
        self._last[source_id] = now
        self._emit(ProgressEvent("progress", source_id, pages=stats.pages_fetched,
                                 seen=stats.items_seen, new=stats.items_new,
                                 failed=stats.items_failed))

    def done(self, source_id: str, summary: dict) -> None:
        self._emit(ProgressEvent("done", source_id, summary=summary))

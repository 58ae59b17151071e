"""A long-running analysis worker (`yuqing worker analyse`): any number may run at once.

Each analyses whatever is pending, in batches claimed as analysis/claim.py describes, then polls
cheaply until more arrives. SIGTERM / SIGINT finish the batch in hand and stop; a worker killed
outright loses nothing (its uncommitted batch is pending again).
"""

from __future__ import annotations

import signal
import threading

from sqlalchemy import select

from yuqing.analysis.stage import AnalysisSummary, Analyser, analyse_pending
from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Mention


def has_pending(db: Database) -> bool:
    with db.session() as s:
        return s.scalar(select(Mention.id).where(Mention.analysed_at.is_(None)).limit(1)) is not None


def run_worker(db: Database, config: Config, once: bool = False, idle: float = 5.0,
               batch: int | None = None, stop: threading.Event | None = None,
               on_batch=None) -> AnalysisSummary:
    """Analyse until stopped (or, with `once`, until nothing is pending); the total done here."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    analyser = Analyser(config)
    total = AnalysisSummary()
    while not stop.is_set():
        if has_pending(db):
            done = analyse_pending(db, config, analyser, batch)
            total.analysed += done.analysed
            total.negative += done.negative
            total.new_stories += done.new_stories
            if on_batch is not None:
                on_batch(done, total)
            if done.analysed:
                continue
        if once:
            break
        stop.wait(idle)
    return total

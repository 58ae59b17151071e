"""Login throttling (登录限速) that slows guessing without locking anyone out for good.

Failures are counted per (account, address), per address and per account. Past a few free
failures each further one doubles the wait, up to MAX_WAIT; a record is forgotten FORGET after
its last failure. So a guesser gets a handful of tries an hour, and a real user whose account
is being attacked from elsewhere waits at most MAX_WAIT (the per-account limit is generous
and never a lock). Password checks (scrypt, ~50 ms of CPU each) run at most CHECKS at a time:
a flood gets "稍后再试" instead of starving the server.

State is in memory per process: a restart clears it, and each WSGI worker counts for itself
(docs/security.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

MAX_WAIT = 15 * 60.0
FORGET = 3600.0
CHECKS = 4
# (scope, free failures, first wait in seconds)
LIMITS = {"pair": (5, 30.0), "address": (30, 30.0), "account": (100, 60.0)}
MAX_RECORDS = 20000


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0


class LoginThrottle:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.records: OrderedDict[tuple, _Record] = OrderedDict()
        self.lock = threading.Lock()
        self.checks = threading.BoundedSemaphore(CHECKS)

    @staticmethod
    def _keys(username: str, address: str) -> list[tuple]:
        name = username.strip().lower()
        return [("pair", name, address), ("address", address), ("account", name)]

    def wait(self, username: str, address: str) -> float:
        """Seconds before this attempt may be checked; 0 when it may go ahead."""
        at = self.clock()
        with self.lock:
            longest = 0.0
            for key in self._keys(username, address):
                rec = self.records.get(key)
                if rec is None:
                    continue
                if at - rec.last > FORGET:
                    del self.records[key]
                    continue
                free, first = LIMITS[key[0]]
                if rec.failures >= free:
                    delay = min(first * 2 ** (rec.failures - free), MAX_WAIT)
                    longest = max(longest, rec.last + delay - at)
            return max(longest, 0.0)

    def failed(self, username: str, address: str) -> None:
        at = self.clock()
        with self.lock:
            for key in self._keys(username, address):
                rec = self.records.pop(key, None) or _Record()
                rec.failures, rec.last = rec.failures + 1, at
                self.records[key] = rec             # most recent last: evict the oldest
            while len(self.records) > MAX_RECORDS:
                self.records.popitem(last=False)

    def succeeded(self, username: str, address: str) -> None:
        with self.lock:
            self.records.pop(("pair", username.strip().lower(), address), None)

"""The scheduler lease: one holder per database, renewal, expiry takeover, dead-holder takeover.
Runs on SQLite and (with YUQING_TEST_POSTGRES) PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from yuqing.storage.scheduling import Lease, current_lease


def test_one_holder_renews_and_releases(db):
    a, b = Lease(db, ttl=30), Lease(db, ttl=30)
    assert a.acquire()
    assert not b.acquire(), "a live lease must not be taken over"
    assert a.renew() and a.held() and not b.held()
    assert a.acquire(), "the holder may re-acquire its own lease"
    a.release()
    assert not a.held()
    assert b.acquire(), "a released lease is free at once"
    assert current_lease(db).holder == b.holder


def test_expired_lease_is_taken_over_and_old_holder_learns_it(db):
    a, b = Lease(db, ttl=0.5), Lease(db, ttl=30)
    assert a.acquire()
    assert not b.acquire()
    time.sleep(0.8)                       # a stopped heartbeating (hung, or cut off)
    assert b.acquire()
    assert not a.renew(), "a late heartbeat must not steal the lease back"
    assert not a.held()
    assert current_lease(db).holder == b.holder


def test_lease_of_a_dead_process_on_this_host_is_taken_at_once(db):
    code = ("import sys; from yuqing.storage.db import Database; from yuqing.storage.scheduling import Lease;"
            "assert Lease(Database(sys.argv[1]), ttl=3600).acquire()")
    subprocess.run([sys.executable, "-c", code, db.url], check=True)
    holder = current_lease(db)
    assert holder is not None and holder.alive()
    b = Lease(db, ttl=30)
    assert b.acquire(), "the holder's process is gone: no need to wait an hour"
    assert current_lease(db).holder == b.holder


def race(leases: list[Lease]) -> list[bool]:
    """All contenders call acquire() at the same moment."""
    results: list[bool] = []
    barrier = threading.Barrier(len(leases))

    def contend(lease):
        barrier.wait()
        results.append(lease.acquire())

    threads = [threading.Thread(target=contend, args=(lease,)) for lease in leases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_contenders_exactly_one_wins(db):
    leases = [Lease(db, ttl=30) for _ in range(6)]
    assert sorted(race(leases)) == [False] * 5 + [True]


def test_concurrent_takeover_of_an_expired_lease_exactly_one_wins(db):
    old = Lease(db, ttl=0.2)
    assert old.acquire()
    time.sleep(0.4)
    leases = [Lease(db, ttl=30) for _ in range(6)]
    assert sorted(race(leases)) == [False] * 5 + [True]

"""The shared request queue (scrapy-redis) with leases on requests in flight.

scrapy-redis gives every worker one Redis priority queue and one duplicate filter per spider
(here: per source). On its own, a request popped by a worker that then dies is gone. So a pop
moves the request, atomically, into an in-flight hash under the worker's id; the request leaves
that hash once its response is handled — its items stored and its new requests queued — or
once it failed for good. Each worker keeps a heartbeat key with an expiry; any worker that finds
in-flight entries of a worker without a heartbeat puts them back in the queue (one atomic move,
so two finders cannot both requeue one entry). A re-fetched page is stored once: mentions are
unique by canonical URL and an unchanged text is not a new version.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid

from scrapy_redis.scheduler import Scheduler

# pop the best request and record it as in flight for this worker, in one step
_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return nil end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local field = ARGV[1] .. '|' .. redis.sha1hex(r[1]) .. '|' .. redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], field, r[1])
return {field, r[1]}
"""
# the duplicate filter's mark, the queue entry and the end of the parent's lease together, so a
# worker killed in between cannot leave a request marked as seen but never queued
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return 1
"""
# put a dead worker's in-flight request back, unless another worker already did
_REQUEUE = """
local data = redis.call('HGET', KEYS[2], ARGV[1])
if not data then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], 0, data)
return 1
"""


class Worker:
    """This process's identity and heartbeat (a key that expires unless refreshed; its value says
    whether the worker is still starting up or crawling)."""

    def __init__(self, server, prefix: str, lease: float):
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.server, self.prefix, self.lease = server, prefix, lease
        # the key's value: "starting" until every source's crawler is open, then "crawling"
        self.state = "starting"
        self._stop = threading.Event()
        self.beat()
        self._thread = threading.Thread(target=self._run, name="yuqing-heartbeat", daemon=True)
        self._thread.start()

    def key(self, worker_id: str | None = None) -> str:
        return f"{self.prefix}:worker:{worker_id or self.id}"

    def beat(self) -> None:
        self.server.set(self.key(), self.state, px=int(self.lease * 1000))

    def alive(self, worker_id: str) -> bool:
        return bool(self.server.exists(self.key(worker_id)))

    def _run(self) -> None:
        # a thread, not the reactor: a long parse must not make the worker look dead
        while not self._stop.wait(self.lease / 3):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - Redis away for a moment: try again next beat
                pass

    def stop(self) -> None:
        self._stop.set()
        self.server.delete(self.key())


class SharedScheduler(Scheduler):
    """scrapy-redis' scheduler, popping into the in-flight hash (see the module docstring)."""

    worker: Worker | None = None       # set by the worker process before crawling
    child_queued = None                # set by distributed.SharedCrawl: a child request is queued

    def open(self, spider):
        # one Redis client per worker process, not one per source for the queue and another for
        # the duplicate filter (scrapy-redis makes both from the settings; neither has connected yet)
        if self.worker is not None:
            self.server = self.worker.server
        result = super().open(spider)
        if self.worker is not None:
            self.df.server = self.server
        self.inflight_key = f"{self.queue.key}:inflight"
        self.counter_key = f"{self.queue.key}:popped"
        self._pop = self.server.register_script(_POP)
        self._push = self.server.register_script(_PUSH)
        self._requeue = self.server.register_script(_REQUEUE)
        return result

    def enqueue_request(self, request):
        # a retry or redirect of a request in flight carries its lease: queued again, it ends
        field = request.meta.pop("yq_inflight", None) or ""
        parent = request.meta.pop("yq_parent", None)
        request.meta.pop("yq_slot", None)
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        pushed = self._push(keys=[self.df.key, self.queue.key, self.inflight_key],
                            args=[fingerprint, -request.priority, self.queue._encode_request(request), field])
        if parent and self.child_queued is not None:
            self.child_queued(parent)       # the parent's response is one output nearer done
        if not pushed:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        popped = self._pop(keys=[self.queue.key, self.inflight_key, self.counter_key],
                           args=[self.worker.id])
        if not popped:
            return None
        field, data = popped
        request = self.queue._decode_request(data)
        request.meta["yq_inflight"] = field.decode() if isinstance(field, bytes) else field
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def done(self, request) -> None:
        field = request.meta.pop("yq_inflight", None)
        if field:
            self.server.hdel(self.inflight_key, field)

    def in_flight(self) -> int:
        return self.server.hlen(self.inflight_key)

    def reap(self) -> int:
        """Requeue what dead workers had in flight; the number requeued."""
        return reap(self.worker, [self])


def reap(worker: Worker, schedulers: list[SharedScheduler]) -> int:
    """Requeue what dead workers had in flight in these queues, in two round trips when there
    is nothing to requeue (the worker's clock does this for all its sources at once)."""
    pipe = worker.server.pipeline(transaction=False)
    for scheduler in schedulers:
        pipe.hkeys(scheduler.inflight_key)
    fields = [[f.decode() if isinstance(f, bytes) else f for f in keys] for keys in pipe.execute()]
    owners = sorted({f.split("|", 1)[0] for keys in fields for f in keys} - {worker.id})
    if not owners:
        return 0
    pipe = worker.server.pipeline(transaction=False)
    for owner in owners:
        pipe.exists(worker.key(owner))
    dead = {owner for owner, alive in zip(owners, pipe.execute()) if not alive}
    requeued = 0
    for scheduler, keys in zip(schedulers, fields):
        for field in keys:
            if field.split("|", 1)[0] in dead:
                requeued += scheduler._requeue(keys=[scheduler.queue.key, scheduler.inflight_key],
                                               args=[field])
    return requeued

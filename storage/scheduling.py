"""The scheduler's own tables: the lease (one running scheduler per database) and run timing.

The lease is a row, not a server feature, so it works the same on SQLite and PostgreSQL:
the holder renews it (heartbeat) well before it expires; a scheduler that finds it expired,
or held by a dead process on its own host, takes it over with one conditional UPDATE, so two
contenders can never both win. Times here are the database's clock where it has one
(PostgreSQL), otherwise this machine's real clock: never YUQING_NOW, which pins the data
stages' notion of time but must not freeze heartbeats.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from yuqing.storage.db import Database, retry_locked
from yuqing.storage.models import Base, JobRun

SCHEDULER = "scheduler"


class SchedulerLease(Base):
    """Who runs the jobs (调度租约); expires unless renewed."""

    __tablename__ = "scheduler_leases"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class JobRunInfo(Base):
    """Timing of one JobRun: which slot it ran for, which attempt at it, and who ran it.

    (job, scheduled_at, attempt) is unique: even if two schedulers ever fired the same slot,
    the second could not record it and skips the run. A slot is tried again (attempt 2, 3)
    only when its last attempt was interrupted (see app/jobrun.py: the slot fence).
    """

    __tablename__ = "job_run_info"
    __table_args__ = (UniqueConstraint("job", "scheduled_at", "attempt",
                                       name="uq_job_run_info_slot_attempt"),)
    job_run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"),
                                            primary_key=True)
    job: Mapped[str] = mapped_column(String(100), index=True)
    scheduled_at: Mapped[datetime]
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    lag_seconds: Mapped[float] = mapped_column(default=0.0)
    holder: Mapped[str] = mapped_column(String(200), default="")


# Jobs whose run belongs to a wall-clock slot (a shift's digest, a week's report): their next
# slot is hours or days away, so a run the scheduler's death interrupted is run again for the
# same slot when a scheduler next starts, within the job's misfire grace. Interval jobs
# (crawls, stages) simply run at their next interval.
SLOT_KINDS = ("digest", "weekly")
MAX_ATTEMPTS = 3          # a slot whose run keeps dying with the scheduler is not retried forever


@dataclass(frozen=True)
class InterruptedSlot:
    job: str
    slot: datetime
    attempt: int
    run_id: int
    started_at: datetime
    finished_at: datetime | None


def interrupted_slots(db: Database, since: datetime) -> list[InterruptedSlot]:
    """Slots of SLOT_KINDS jobs at or after `since` whose latest attempt was interrupted."""
    with db.session() as s:
        rows = s.execute(select(JobRunInfo, JobRun).join(JobRun, JobRun.id == JobRunInfo.job_run_id)
                         .where(JobRunInfo.scheduled_at >= since,
                                or_(*(JobRunInfo.job.like(f"{kind}%") for kind in SLOT_KINDS)))
                         .order_by(JobRunInfo.attempt)).all()
    latest: dict[tuple[str, datetime], tuple[JobRunInfo, JobRun]] = {}
    for info, run in rows:
        if info.job.split(":", 1)[0] in SLOT_KINDS:
            latest[(info.job, info.scheduled_at)] = (info, run)     # ordered: the last wins
    return sorted((InterruptedSlot(info.job, info.scheduled_at, info.attempt, run.id,
                                   run.started_at, run.finished_at)
                   for info, run in latest.values() if run.status == "interrupted"),
                  key=lambda x: (x.slot, x.job))


def real_now() -> datetime:
    return datetime.now(timezone.utc)


def db_now(s: Session) -> datetime:
    """The database server's clock on PostgreSQL (one clock for every host), else ours."""
    if s.get_bind().dialect.name == "postgresql":
        return s.scalar(select(func.now())).astimezone(timezone.utc)
    return real_now()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class LeaseState:
    holder: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def alive(self, at: datetime | None = None) -> bool:
        return self.expires_at > (at or real_now())


def current_lease(db: Database, name: str = SCHEDULER) -> LeaseState | None:
    with db.session() as s:
        row = s.get(SchedulerLease, name)
        if row is None:
            return None
        return LeaseState(row.holder, row.host, row.pid, row.acquired_at, row.heartbeat_at,
                          row.expires_at)


class Lease:
    """This process's claim on the scheduler lease."""

    def __init__(self, db: Database, ttl: float = 60.0, name: str = SCHEDULER):
        self.db, self.name, self.ttl = db, name, timedelta(seconds=ttl)
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.holder = f"{self.host}:{self.pid}:{uuid.uuid4().hex[:8]}"

    @retry_locked
    def acquire(self) -> bool:
        """Take the lease if it is free, expired, ours, or held by a dead local process."""
        try:
            with self.db.session() as s:
                at = db_now(s)
                row = s.get(SchedulerLease, self.name)
                if row is None:
                    s.add(SchedulerLease(name=self.name, holder=self.holder, host=self.host,
                                         pid=self.pid, acquired_at=at, heartbeat_at=at,
                                         expires_at=at + self.ttl))
                    s.flush()
                    return True
                claim = or_(SchedulerLease.holder == self.holder, SchedulerLease.expires_at < at)
                if row.host == self.host and row.pid != self.pid and not pid_alive(row.pid):
                    # the holder crashed on this machine: no need to wait for expiry
                    claim = or_(claim, SchedulerLease.holder == row.holder)
                result = s.execute(
                    update(SchedulerLease)
                    .where(and_(SchedulerLease.name == self.name, claim))
                    .values(holder=self.holder, host=self.host, pid=self.pid, acquired_at=at,
                            heartbeat_at=at, expires_at=at + self.ttl)
                    .execution_options(synchronize_session=False))
                return result.rowcount == 1
        except IntegrityError:
            return False          # another scheduler inserted the row first

    @retry_locked
    def renew(self) -> bool:
        """Heartbeat; False means the lease was taken over and this process must stop."""
        with self.db.session() as s:
            at = db_now(s)
            result = s.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.holder,
                       SchedulerLease.expires_at >= at)
                .values(heartbeat_at=at, expires_at=at + self.ttl)
                .execution_options(synchronize_session=False))
            return result.rowcount == 1

    def held(self) -> bool:
        """Checked before every job run: a fence against running after losing the lease."""
        with self.db.session() as s:
            at = db_now(s)
            return s.scalar(select(func.count()).select_from(SchedulerLease).where(
                SchedulerLease.name == self.name, SchedulerLease.holder == self.holder,
                SchedulerLease.expires_at > at)) == 1

    @retry_locked
    def release(self) -> None:
        """On a clean stop: expire now, so a standby takes over without waiting."""
        with self.db.session() as s:
            at = db_now(s)
            s.execute(update(SchedulerLease)
                      .where(SchedulerLease.name == self.name,
                             SchedulerLease.holder == self.holder)
                      .values(expires_at=at, heartbeat_at=at)
                      .execution_options(synchronize_session=False))


# People-facing job names: the scheduler writes job ids, the status and digest read them.
LABELS = {"crawl": "采集", "analysis": "分析", "detection": "预警检测", "delivery": "通知发送",
          "escalation": "逾期上报", "digest": "值班摘要", "weekly": "周报"}


def label(job_id: str, config=None) -> str:
    """People-facing name of a job: 采集：<source name>, 分析, 值班摘要：08:00 …"""
    kind, _, rest = job_id.partition(":")
    name = LABELS.get(kind, kind)
    if kind == "crawl" and config is not None:
        rest = next((s.name for s in config.sources if s.id == rest), rest)
    elif kind == "digest" and len(rest) == 4:
        rest = f"{rest[:2]}:{rest[2:]}"
    return f"{name}：{rest}" if rest else name

"""Is the system running? The scheduler's lease, each job, each source, the outbox.

`collect()` feeds `yuqing status`; `system_problems()` gives the duty digest plain Chinese
sentences about what needs a person. Scheduler times (lease, job runs) are real clock
times; outbox times follow yuqing.timeutil.now() like the rest of the alert data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, inspect, or_, select, text

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Delivery, JobRun, Source, SourceRun
from yuqing.storage.scheduling import (SLOT_KINDS, JobRunInfo, LeaseState, current_lease, label,
                                       real_now)
from yuqing import timeutil
from yuqing.timeutil import fmt

FAILING_AFTER = 3                        # consecutive failed/timed-out runs
LATE_AFTER = timedelta(minutes=10)       # past its next run time, scheduler alive
OUTBOX_OLD = timedelta(minutes=30)       # due but unsent
FAILED_RECENT = timedelta(days=1)
SLOTS_SHOWN = timedelta(days=7)          # interrupted digest / weekly slots listed by status
BAD = ("failed", "timeout")


@dataclass
class JobHealth:
    id: str
    label: str
    status: str = "never"                # ok / failed / timeout / skipped / interrupted / running
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration: float | None = None        # seconds
    lag: float | None = None             # seconds late against its slot
    failures: int = 0                    # consecutive failed or timed-out runs
    next_run_at: datetime | None = None
    detail: str = ""
    attempt: int = 1                     # > 1: the last run was a rerun of an interrupted slot


@dataclass
class SlotAttempt:
    attempt: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    detail: str


@dataclass
class SlotHealth:
    """A digest or weekly slot whose run was interrupted, and what became of it."""

    job: str
    label: str
    slot: datetime
    attempts: list[SlotAttempt]

    @property
    def rerun(self) -> bool:
        return len(self.attempts) > 1

    @property
    def lost(self) -> bool:
        """Its last attempt was interrupted too, or it was never run again."""
        return self.attempts[-1].status == "interrupted"


@dataclass
class SourceHealth:
    id: str
    name: str
    last_run_at: datetime | None
    last_success_at: datetime | None
    failures: int
    last_status: str
    last_new: int
    last_error: str


@dataclass
class OutboxHealth:
    pending: int = 0
    sending: int = 0
    failed: int = 0
    failed_recent: int = 0
    oldest_due_at: datetime | None = None


@dataclass
class DutyHealth:
    """One department's own duties on the last week's warnings, against its own clocks."""

    department_id: str
    name: str
    duties: int
    ack_on_time: int
    ack_late: int                  # not signed by its 签收时限, or signed after it
    ack_pending: int               # 未到期
    must_respond: int
    respond_on_time: int
    respond_late: int              # responded after its 回应时限, or not at all and overdue
    respond_pending: int           # 未到期


@dataclass
class SystemStatus:
    at: datetime
    lease: LeaseState | None
    jobs: list[JobHealth] = field(default_factory=list)
    sources: list[SourceHealth] = field(default_factory=list)
    outbox: OutboxHealth = field(default_factory=OutboxHealth)
    duties: list[DutyHealth] = field(default_factory=list)
    slots: list[SlotHealth] = field(default_factory=list)

    @property
    def scheduler_running(self) -> bool:
        return self.lease is not None and self.lease.alive(self.at)

    def to_dict(self) -> dict:
        def plain(value):
            if isinstance(value, datetime):
                return timeutil.local(value).isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain({"at": self.at, "scheduler_running": self.scheduler_running,
                      "lease": asdict(self.lease) if self.lease else None,
                      "jobs": [asdict(j) for j in self.jobs],
                      "sources": [asdict(s) for s in self.sources],
                      "outbox": asdict(self.outbox),
                      "departments": [asdict(d) for d in self.duties],
                      "interrupted_slots": [asdict(x) for x in self.slots]})


def _next_runs(db: Database) -> dict[str, datetime | None]:
    """APScheduler's own table; its next_run_time is a UTC epoch float, NULL when paused."""
    if not inspect(db.engine).has_table("apscheduler_jobs"):
        return {}
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, next_run_time FROM apscheduler_jobs")).all()
    return {job_id: datetime.fromtimestamp(t, timezone.utc) if t is not None else None
            for job_id, t in rows}


def _jobs(db: Database, config: Config) -> list[JobHealth]:
    next_runs = _next_runs(db)
    with db.session() as s:
        ids = sorted(set(next_runs) | set(s.scalars(select(JobRun.job).distinct())))
        jobs = []
        for job_id in ids:
            health = JobHealth(job_id, label(job_id, config), next_run_at=next_runs.get(job_id))
            runs = s.execute(select(JobRun, JobRunInfo.lag_seconds, JobRunInfo.attempt)
                             .outerjoin(JobRunInfo, JobRunInfo.job_run_id == JobRun.id)
                             .where(JobRun.job == job_id)
                             .order_by(JobRun.id.desc()).limit(FAILING_AFTER * 4)).all()
            if runs:
                last, lag, attempt = runs[0]
                health.attempt = attempt or 1
                health.status, health.started_at = last.status, last.started_at
                health.finished_at, health.detail, health.lag = last.finished_at, last.detail, lag
                if last.finished_at:
                    health.duration = (last.finished_at - last.started_at).total_seconds()
                finished = [r for r, _, _ in runs if r.status != "running"]
                for run in finished:
                    if run.status not in BAD:
                        break
                    health.failures += 1
            jobs.append(health)
        return jobs


def _slots(db: Database, config: Config, at: datetime) -> list[SlotHealth]:
    """Digest and weekly slots of the last week with an interrupted attempt."""
    with db.session() as s:
        rows = s.execute(select(JobRunInfo, JobRun)
                         .join(JobRun, JobRun.id == JobRunInfo.job_run_id)
                         .where(JobRunInfo.scheduled_at >= at - SLOTS_SHOWN,
                                or_(*(JobRunInfo.job.like(f"{kind}%") for kind in SLOT_KINDS)))
                         .order_by(JobRunInfo.scheduled_at, JobRunInfo.job, JobRunInfo.attempt)).all()
    slots: dict[tuple[str, datetime], SlotHealth] = {}
    for info, run in rows:
        slot = slots.setdefault((info.job, info.scheduled_at),
                                SlotHealth(info.job, label(info.job, config), info.scheduled_at, []))
        slot.attempts.append(SlotAttempt(info.attempt, run.status, run.started_at, run.finished_at,
                                         run.detail))
    return [x for x in slots.values() if any(a.status == "interrupted" for a in x.attempts)]


def _sources(db: Database, config: Config) -> list[SourceHealth]:
    with db.session() as s:
        rows = {r.id: r for r in s.scalars(select(Source))}
        out = []
        for source in config.sources:
            if not source.enabled:
                continue
            row = rows.get(source.id)
            last = s.scalars(select(SourceRun).where(SourceRun.source_id == source.id)
                             .order_by(SourceRun.id.desc()).limit(1)).first()
            out.append(SourceHealth(
                source.id, source.name, row.last_run_at if row else None,
                row.last_success_at if row else None, row.consecutive_failures if row else 0,
                last.status if last else "never", last.items_new if last else 0,
                row.last_error if row else ""))
        return out


def _outbox(db: Database, at: datetime) -> OutboxHealth:
    with db.session() as s:
        counts = dict(s.execute(select(Delivery.status, func.count())
                                .where(Delivery.status.in_(("pending", "batched", "failed")))
                                .group_by(Delivery.status)).all())
        oldest = s.scalar(select(func.min(Delivery.next_attempt_at))
                          .where(Delivery.status.in_(("pending", "batched")),
                                 Delivery.next_attempt_at <= at))
        recent = s.scalar(select(func.count()).select_from(Delivery)
                          .where(Delivery.status == "failed",
                                 Delivery.created_at >= at - FAILED_RECENT))
    # a row handed to a send batch is 'batched' until sent or failed ('sending' is a batch state)
    return OutboxHealth(counts.get("pending", 0), counts.get("batched", 0),
                        counts.get("failed", 0), recent or 0, oldest)


def collect(db: Database, config: Config) -> SystemStatus:
    at = real_now()
    return SystemStatus(at, current_lease(db), _jobs(db, config), _sources(db, config),
                        _outbox(db, timeutil.now()), _duties(db, config, timeutil.now()),
                        _slots(db, config, at))


DUTY_WINDOW = timedelta(days=7)


def _duties(db: Database, config: Config, at: datetime) -> list[DutyHealth]:
    """Each department's own 签收 and 回应 on the warnings opened in the last seven days."""
    from yuqing.reports.stats import department_responses

    with db.session() as s:
        rows = department_responses(s, config, at - DUTY_WINDOW, at + timedelta(seconds=1), at)
    return [DutyHealth(r.department_id, r.name, r.received, r.ack_on_time,
                       r.acknowledged - r.ack_on_time + r.ack_late, r.ack_pending, r.must_respond,
                       r.respond_on_time, r.responded - r.respond_on_time + r.overdue_open,
                       r.respond_pending) for r in rows]


def span(delta: timedelta) -> str:
    """'2 小时 5 分钟', '40 秒'."""
    total = int(max(delta.total_seconds(), 0))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "天"), (hours, "小时"), (minutes, "分钟")) if n]
    return " ".join(parts[:2]) or f"{secs} 秒"


def problems(status: SystemStatus, outbox_at: datetime | None = None) -> list[str]:
    out = []
    at = status.at
    if status.lease is None:
        out.append("调度程序从未在此数据库上运行：定时采集、分析、预警和通知都不会自动进行"
                   "（请启动 yuqing-scheduler 服务）。")
    elif not status.scheduler_running:
        lease = status.lease
        out.append(f"调度程序未在运行：最后一次心跳在 {fmt(lease.heartbeat_at)}"
                   f"（{span(at - lease.heartbeat_at)}前，主机 {lease.host}），"
                   "定时采集、分析、预警和通知均已停止。")
    for job in status.jobs:
        if job.failures >= FAILING_AFTER:
            what = "超时" if job.status == "timeout" else "失败"
            reason = job.detail.splitlines()[0][:120] if job.detail else ""
            out.append(f"任务“{job.label}”已连续 {job.failures} 次{what}"
                       f"（最近一次 {fmt(job.started_at)}{'：' + reason if reason else ''}）。")
        if (status.scheduler_running and job.next_run_at is not None
                and at - job.next_run_at > LATE_AFTER):
            out.append(f"任务“{job.label}”已逾期 {span(at - job.next_run_at)} 未运行"
                       f"（应于 {fmt(job.next_run_at)} 运行）。")
    for slot in status.slots:
        # the scheduler reruns an interrupted slot as it starts: one still interrupted some
        # minutes into a running scheduler's life was past its grace or kept dying
        last = slot.attempts[-1]
        if (slot.lost and status.scheduler_running and at - slot.slot < FAILED_RECENT
                and at - (last.finished_at or last.started_at) > LATE_AFTER):
            how = ("可用 yuqing digest --send 补发本班次摘要" if slot.job.startswith("digest")
                   else "可用 yuqing report weekly 重新生成")
            out.append(f"任务“{slot.label}”{fmt(slot.slot)} 的运行被中断，未能自动补跑"
                       f"（已中断 {len(slot.attempts)} 次或已超过补跑时限），请人工处理：{how}。")
    box = status.outbox
    outbox_at = outbox_at or timeutil.now()
    if box.oldest_due_at is not None and outbox_at - box.oldest_due_at > OUTBOX_OLD:
        out.append(f"待发送通知积压 {box.pending + box.sending} 条，最早一条已等待 "
                   f"{span(outbox_at - box.oldest_due_at)}（自 {fmt(box.oldest_due_at)} 起）。")
    if box.failed_recent:
        out.append(f"近 24 小时有 {box.failed_recent} 条通知多次重试后仍未送达，已放弃，"
                   "请值班人员电话核实。")
    return out


def system_problems(db: Database, config: Config, at: datetime | None = None) -> list[str]:
    """Chinese sentences for the duty digest; empty when all is well. `at` is the digest's
    end: the outbox backlog is measured against it, not against the wall clock."""
    return problems(collect(db, config), outbox_at=at)

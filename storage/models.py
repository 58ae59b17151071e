"""The store: what every stage reads and writes.

Each stage writes its own columns/tables, so any stage can be rerun from what the last one
stored (ARCHITECTURE: a crash loses at most the work in flight).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from yuqing.storage.types import AwareDateTime
from yuqing.timeutil import now


class Base(DeclarativeBase):
    type_annotation_map = {datetime: AwareDateTime, dict: JSON, list: JSON}


class Source(Base):
    """A configured source's health (信息源状态); the definition itself lives in config."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    last_run_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")


class SourceRun(Base):
    __tablename__ = "source_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=now)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # ok / partial / failed
    items_seen: Mapped[int] = mapped_column(default=0)
    items_new: Mapped[int] = mapped_column(default=0)
    items_updated: Mapped[int] = mapped_column(default=0)
    items_failed: Mapped[int] = mapped_column(default=0)
    empty_bodies: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(default=list)


class FetchState(Base):
    """Validators for conditional GET of list pages and feeds."""

    __tablename__ = "fetch_state"
    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    etag: Mapped[str] = mapped_column(String(300), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    fetched_at: Mapped[datetime | None]


class Mention(Base):
    """One collected item (提及): an article, a post, or a board message with its reply."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_source_external", "source_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)   # canonical URL
    kind: Mapped[str] = mapped_column(String(16), default="article")  # article / post / message
    title: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(200), default="")       # 来源
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=now)
    encoding: Mapped[str] = mapped_column(String(32), default="")
    attachments: Mapped[list] = mapped_column(default=list)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    # board messages: the department's reply
    reply: Mapped[str] = mapped_column(Text, default="")
    reply_at: Mapped[datetime | None]
    reply_department: Mapped[str] = mapped_column(String(200), default="")
    # channels (渠道, migration 0003_channels): where the public said it, the item's own id
    # there (工单编号, 留言 tid, note id), the post a comment belongs to, the handling status
    # (未回复 / 办理中 / 已办理) and the channel's own fields (留言类型, 领域, 满意度 …)
    channel: Mapped[str] = mapped_column(String(32), default="", index=True)
    external_id: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("mentions.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), default="")
    details: Mapped[dict] = mapped_column(default=dict)
    # analysis results
    analysed_at: Mapped[datetime | None] = mapped_column(index=True)
    sentiment: Mapped[float | None] = mapped_column(Float)
    negative: Mapped[bool] = mapped_column(Boolean, default=False)   # negative public opinion
    # who speaks (analysis.voice): complaint / news / notice / response; notices and
    # responses are the government's own voice and never negative
    voice: Mapped[str | None] = mapped_column(String(16))
    sentiment_corrected: Mapped[float | None] = mapped_column(Float)   # an officer's correction
    place_id: Mapped[str | None] = mapped_column(String(64), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)   # MinHash, for stories
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)
    topics: Mapped[list[MentionTopic]] = relationship(back_populates="mention",
                                                      cascade="all, delete-orphan")

    @property
    def when(self) -> datetime:
        return self.published_at or self.fetched_at


class MentionVersion(Base):
    """An earlier text of a mention whose page changed."""

    __tablename__ = "mention_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime]


class MentionTopic(Base):
    __tablename__ = "mention_topics"
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    matched: Mapped[list] = mapped_column(default=list)   # the words that matched, as evidence
    mention: Mapped[Mention] = relationship(back_populates="topics")


class Story(Base):
    """Copies of one story across sources (同一事件的转载); the earliest copy is the origin."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    origin_mention_id: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime | None]
    copies: Mapped[int] = mapped_column(default=1)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class Warning(Base):
    """A warning (预警): opened once per idempotent key, updated while it runs."""

    __tablename__ = "warnings"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(16))          # spike / critical / unanswered
    topic_id: Mapped[str | None] = mapped_column(String(64), index=True)
    place_id: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))       # 一般 / 较大 / 重大 / 特别重大
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[float] = mapped_column(Float, default=0)
    baseline: Mapped[float] = mapped_column(Float, default=0)
    opened_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    subsided_at: Mapped[datetime | None]
    acknowledge_by: Mapped[datetime | None]
    respond_by: Mapped[datetime | None]
    press_conference_by: Mapped[datetime | None]
    response_text: Mapped[str] = mapped_column(Text, default="")
    response_url: Mapped[str] = mapped_column(String(1000), default="")
    closed_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)      # bumps on new evidence / severity
    evidence: Mapped[list[WarningEvidence]] = relationship(cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="warning",
                                                         cascade="all, delete-orphan")
    events: Mapped[list[WarningEvent]] = relationship(cascade="all, delete-orphan",
                                                      order_by="WarningEvent.id")


class WarningEvidence(Base):
    __tablename__ = "warning_evidence"
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), primary_key=True)
    mention: Mapped[Mention] = relationship()


class Assignment(Base):
    """One department's own duty on a warning (部门职责): 主管 / 处置 / 协调 / 值班 / 上报 / 抄送.

    Each row has its own clocks, state, actor and times; the warning's status is derived from
    the rows (alerts/duties.py). A reassigned row stays, inactive, as history.
    """

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("warning_id", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    department_id: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")   # why routing chose it, in words
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # open / acknowledged / responded / read (抄送 已阅) / returned (退回) / reassigned
    state: Mapped[str] = mapped_column(String(16), default="open")
    assigned_at: Mapped[datetime | None]
    acknowledge_by: Mapped[datetime | None]        # None: no 签收 duty (抄送, 上报)
    respond_by: Mapped[datetime | None]            # None: no 回应 duty (协调, 抄送, 上报)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str] = mapped_column(String(100), default="")
    responded_at: Mapped[datetime | None]
    responded_by: Mapped[str] = mapped_column(String(100), default="")
    response_text: Mapped[str] = mapped_column(Text, default="")
    response_url: Mapped[str] = mapped_column(String(1000), default="")
    response_via: Mapped[str] = mapped_column(String(16), default="")   # dashboard / cli / board …
    response_mention_id: Mapped[int | None] = mapped_column(Integer)      # the board message replied to
    # the response page, fetched once and kept as evidence
    response_fetched_at: Mapped[datetime | None]
    response_snapshot: Mapped[str] = mapped_column(Text, default="")
    escalation_level: Mapped[int] = mapped_column(default=0)
    respond_escalated_at: Mapped[datetime | None]
    # signed phone links carry it; a new nonce (reassignment, use) voids the old links
    link_nonce: Mapped[str] = mapped_column(String(32), default="")
    warning: Mapped[Warning] = relationship(back_populates="assignments")


class WarningEvent(Base):
    """Audit trail: every change to a warning, with who and when."""

    __tablename__ = "warning_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")


class Delivery(Base):
    """Outbox row, written in the warning's transaction; the sender drains it."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"), index=True)
    department_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(1000))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending/sending/sent/failed
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))          # duty / department / admin
    department_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class JobRun(Base):
    """One run of a scheduled job: for `yuqing status` and the digest's health section."""

    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(default=now)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    detail: Mapped[str] = mapped_column(Text, default="")


# Tables owned by other areas live in their own modules; import them so that the metadata
# (and Alembic's autogenerate) sees every table.
import importlib as _importlib  # noqa: E402

for _module in ("yuqing.storage.scheduling", "yuqing.storage.web", "yuqing.storage.alerting",
                "yuqing.storage.sessions",
                "yuqing.storage.api", "yuqing.storage.events", "yuqing.storage.rollups",
                "yuqing.storage.critical", "yuqing.storage.detect_cache"):
    try:
        _importlib.import_module(_module)
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise

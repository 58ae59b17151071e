"""Tables owned by the event grouping (事件): events, their members and their lookup keys.

An event holds many stories (reprint groups) and many differently worded mentions about one
real-world matter. Membership is its own table with the mention as primary key, so a mention
belongs to at most one event even when two analysis workers race (the second insert fails
and its transaction is retried). `event_keys` is the candidate index: only events still open
(not dormant) have keys, so finding candidates costs the same on a 1M store as on a 100k one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.timeutil import now


class Event(Base):
    """One real-world matter (事件) and what readers need to know about it."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_open", "dormant", "last_seen_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    topic_id: Mapped[str | None] = mapped_column(String(64), index=True)
    place_id: Mapped[str | None] = mapped_column(String(64), index=True)
    communities: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(8), default="新发")   # 新发/上升/高位/回落/平息
    first_mention_id: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    mentions: Mapped[int] = mapped_column(default=0)
    negative: Mapped[int] = mapped_column(default=0)
    stories: Mapped[int] = mapped_column(default=0)
    sources: Mapped[int] = mapped_column(default=0)
    channels: Mapped[int] = mapped_column(default=0)
    authors: Mapped[int] = mapped_column(default=0)
    weight: Mapped[float] = mapped_column(Float, default=0)     # weighted negative volume
    terms: Mapped[dict] = mapped_column(default=dict)           # term -> members using it
    anchors: Mapped[list] = mapped_column(default=list)         # roads, n-th batch: see event_facts
    # what the grouping reads besides terms (analysis/event_assign.py): its own topic (the
    # displayed topic_id is refreshed from the members' votes), the positions of the members
    # that gave topic and place, and board follow-up keys
    grouping: Mapped[dict] = mapped_column(default=dict)
    summary: Mapped[list] = mapped_column(default=list)         # [{text, url, mention_id}]
    dormant: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into: Mapped[int | None] = mapped_column(Integer, index=True)
    stale: Mapped[bool] = mapped_column(Boolean, default=True)  # derived fields need a refresh
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class EventMention(Base):
    """A mention's event (one per mention) and how well it matched when assigned."""

    __tablename__ = "event_mentions"
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    score: Mapped[float] = mapped_column(Float, default=1.0)
    assigned_at: Mapped[datetime] = mapped_column(default=now)


class EventKey(Base):
    """Candidate index over open events: place, community, story and salient-term keys."""

    __tablename__ = "event_keys"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True, index=True)


# The warnings of an event are found through their evidence (alerts/event_link.py): by mention.
from yuqing.storage.models import WarningEvidence  # noqa: E402

Index("ix_warning_evidence_mention", WarningEvidence.mention_id)

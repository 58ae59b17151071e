"""Tables owned by alerts/: delivery batches (the unit the sender claims and sends).

A batch freezes what one message to one channel contains: its key, subject, body and the
outbox rows it carries. Retries and re-sends after a crash send the very same batch, so the
idempotency key a receiver sees (webhook header, mail Message-ID) never changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.timeutil import now


class DeliveryBatch(Base):
    """One message to one channel of one department (一次投递), carrying ≥1 outbox rows."""

    __tablename__ = "delivery_batches"
    __table_args__ = (Index("ix_delivery_batches_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)   # idempotency key / Message-ID
    department_id: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(1000))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    delivery_ids: Mapped[list] = mapped_column(default=list)
    # sending (claimed; next_attempt_at is the lease end) / retry / sent / failed
    status: Mapped[str] = mapped_column(String(16), default="sending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


# Detection reads negative mentions by publication time; this index covers the whole
# aggregation (SQLite adds the rowid), so a cycle never touches the wide rows with content.
# Author and origin tell who carried a story (reach), migration 0003_detect; the id, which
# PostgreSQL's indexes do not carry, so its reads are index-only too (0004_detect_id).
from yuqing.storage.models import Mention  # noqa: E402

Index("ix_mentions_detect", Mention.negative, Mention.published_at, Mention.source_id,
      Mention.place_id, Mention.story_id, Mention.author, Mention.origin, Mention.id)
# Unanswered board messages are a few percent of mentions: find them without a scan.
Index("ix_mentions_kind_published", Mention.kind, Mention.published_at)
# Detection's per-cycle reads of rare rows, by publication time (migration 0005_detect_rare):
# board messages still unanswered, and the government's responses (通报, 回应) — a few per
# thousand mentions, found without reading a day's or two months' rows. The queries repeat
# these conditions as literals (the constants below) so both databases use the indexes.
UNANSWERED_SQL = "kind = 'message' AND reply = ''"
RESPONSE_SQL = "voice = 'response'"
UNVOICED_SQL = "voice IS NULL"
for _name, _where in (("ix_mentions_unanswered", UNANSWERED_SQL), ("ix_mentions_responses", RESPONSE_SQL),
                      ("ix_mentions_unvoiced", UNVOICED_SQL)):
    Index(_name, Mention.published_at, postgresql_where=text(_where), sqlite_where=text(_where))

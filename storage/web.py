"""Tables owned by the dashboard: officers' sentiment corrections (情感纠正)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.timeutil import now


class SentimentCorrection(Base):
    """One officer's judgement of a mention's sentiment, kept with who and when.

    `label` follows the sentiment training format: 1 = positive / not negative, 0 = negative.
    The latest correction of a mention also sets `mentions.sentiment_corrected`.
    """

    __tablename__ = "sentiment_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id"), index=True)
    label: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=now)

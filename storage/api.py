"""Tables owned by the read-only API: per-department access tokens (接口令牌).

Only a SHA-256 of each token is stored. The token itself is 256 random bits shown once when it
is created, so a fast hash is enough: there is nothing to guess that a slow hash would protect.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.timeutil import now


class ApiToken(Base):
    """A platform's key to the JSON API, with the rights of a duty officer or one department."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)     # who holds it, e.g. 12345平台
    role: Mapped[str] = mapped_column(String(16))                    # duty / department
    department_id: Mapped[str | None] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

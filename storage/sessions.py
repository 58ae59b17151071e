"""Dashboard sessions kept on the server (登录会话), so logging out, changing a password or
`yuqing users passwd` really ends them: the cookie only names a session, it proves nothing
by itself. Only a SHA-256 of the session token is stored (256 random bits: nothing to guess)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yuqing.storage.models import Base
from yuqing.timeutil import now


class WebSession(Base):
    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)      # sha256 of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    address: Mapped[str] = mapped_column(String(64), default="")

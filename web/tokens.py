"""API tokens (接口令牌): created by the CLI, shown once, stored as a SHA-256.

A token carries the rights of a dashboard user: `duty` sees every warning, `department` only
the warnings its department holds (web/access.py decides, for the dashboard and the API alike).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from yuqing.config.models import Config
from yuqing.storage.api import ApiToken
from yuqing.storage.db import Database
from yuqing.timeutil import now
from yuqing.web.auth import Viewer

PREFIX = "yq_"
ROLES = {"duty": "值班室（全部预警）", "department": "部门（本部门的预警）"}


class TokenError(ValueError):
    """A token that cannot be created or revoked, with a Chinese reason."""


@dataclass(frozen=True)
class TokenInfo:
    name: str
    role: str
    department_id: str | None
    created_at: object
    last_used_at: object
    revoked: bool


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: Database, config: Config, name: str, role: str,
                 department_id: str | None = None) -> str:
    """Store a new token's hash and return the token itself (shown to the operator once)."""
    name = name.strip()
    if not name:
        raise TokenError("令牌名称不能为空（写明持有方，例如 12345平台）")
    if role not in ROLES:
        raise TokenError(f"未知的角色“{role}”，应为 duty 或 department")
    if role == "department" and not department_id:
        raise TokenError("部门令牌必须用 --department 指定所属部门")
    if role == "duty":
        department_id = None
    if department_id and department_id not in {d.id for d in config.departments}:
        raise TokenError(f"部门“{department_id}”未在 departments.yaml 中定义")
    token = PREFIX + secrets.token_urlsafe(32)
    with db.session() as s:
        if s.scalar(select(ApiToken).where(ApiToken.name == name)):
            raise TokenError(f"令牌名称“{name}”已存在")
        s.add(ApiToken(name=name, role=role, department_id=department_id, token_hash=digest(token)))
    return token


def revoke_token(db: Database, name: str) -> None:
    with db.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.name == name))
        if row is None:
            raise TokenError(f"令牌“{name}”不存在")
        if row.revoked_at is None:
            row.revoked_at = now()


def list_tokens(db: Database) -> list[TokenInfo]:
    with db.session() as s:
        return [TokenInfo(t.name, t.role, t.department_id, t.created_at, t.last_used_at,
                          t.revoked_at is not None)
                for t in s.scalars(select(ApiToken).order_by(ApiToken.name))]


def viewer_of(db: Database, token: str) -> Viewer | None:
    """The rights a presented token carries, or None for an unknown or revoked token."""
    if not token.startswith(PREFIX):
        return None
    with db.session() as s:
        row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        if row is None or row.revoked_at is not None:
            return None
        at = now()
        # one write a minute at most: a platform polling every few seconds must not hammer the table
        if row.last_used_at is None or (at - row.last_used_at).total_seconds() > 60:
            row.last_used_at = at
        return Viewer(-row.id, f"api:{row.name}", row.name, row.role, row.department_id)

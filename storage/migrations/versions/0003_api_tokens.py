"""api: per-department access tokens

Revision ID: 0003_api_tokens
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0003_api_tokens"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")

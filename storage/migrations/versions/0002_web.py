"""dashboard: sentiment corrections

Revision ID: 0002_web
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0002_web"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sentiment_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("department_id", sa.String(length=64), nullable=True),
        sa.Column("at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["mention_id"], ["mentions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sentiment_corrections") as batch:
        batch.create_index("ix_sentiment_corrections_mention_id", ["mention_id"])


def downgrade() -> None:
    with op.batch_alter_table("sentiment_corrections") as batch:
        batch.drop_index("ix_sentiment_corrections_mention_id")
    op.drop_table("sentiment_corrections")

"""alerting: delivery batches and the detection index

Revision ID: 0002_alerting
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0002_alerting"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("department_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=1000), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("delivery_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("delivery_batches", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_batches_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_batches_department_id"), ["department_id"],
                              unique=False)
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.create_index("ix_mentions_detect", ["negative", "published_at", "source_id",
                                                     "place_id", "story_id"], unique=False)
        batch_op.create_index("ix_mentions_kind_published", ["kind", "published_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_kind_published")
        batch_op.drop_index("ix_mentions_detect")
    with op.batch_alter_table("delivery_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_batches_department_id"))
        batch_op.drop_index("ix_delivery_batches_due")
    op.drop_table("delivery_batches")

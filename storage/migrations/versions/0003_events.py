"""events: 事件 above stories, their members and the candidate index of open events

Revision ID: 0003_events
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0003_events"
down_revision = "0001"
branch_labels = None
depends_on = None

AWARE = yuqing.storage.types.AwareDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("topic_id", sa.String(length=64), nullable=True),
        sa.Column("place_id", sa.String(length=64), nullable=True),
        sa.Column("communities", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("first_mention_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", AWARE, nullable=True),
        sa.Column("last_seen_at", AWARE, nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("authors", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("dormant", sa.Boolean(), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("updated_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_open", ["dormant", "last_seen_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_topic_id"), ["topic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_merged_into"), ["merged_into"], unique=False)
    op.create_table(
        "event_mentions",
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("assigned_at", AWARE, nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.ForeignKeyConstraint(["mention_id"], ["mentions.id"]),
        sa.PrimaryKeyConstraint("mention_id"),
    )
    with op.batch_alter_table("event_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_mentions_event_id"), ["event_id"], unique=False)
    op.create_table(
        "event_keys",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("key", "event_id"),
    )
    with op.batch_alter_table("event_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_keys_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    op.drop_table("event_keys")
    op.drop_table("event_mentions")
    op.drop_table("events")

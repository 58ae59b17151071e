"""detect: the detection index also covers author and origin (reach: who carried a story)

Revision ID: 0003_detect
Revises: 0002_alerting
"""
from alembic import op


revision = "0003_detect"
down_revision = "0002_alerting"
branch_labels = None
depends_on = None

OLD = ["negative", "published_at", "source_id", "place_id", "story_id"]


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_detect")
        batch_op.create_index("ix_mentions_detect", OLD + ["author", "origin"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_detect")
        batch_op.create_index("ix_mentions_detect", OLD, unique=False)

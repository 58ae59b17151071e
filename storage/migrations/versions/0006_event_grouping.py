"""event grouping state: the topic and place an event's grouping reads (with the position of
the member that gave them) and its board follow-up keys, kept apart from the displayed topic

Revision ID: 0006_event_grouping
Revises: 0005_event_anchors
"""
from alembic import op
import sqlalchemy as sa


revision = "0006_event_grouping"
down_revision = "0005_event_anchors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grouping", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("grouping")

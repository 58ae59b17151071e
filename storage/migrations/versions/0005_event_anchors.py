"""event anchors: the roads and n-th batch/meeting an event's titles name

Revision ID: 0005_event_anchors
Revises: 0004_event_links
"""
from alembic import op
import sqlalchemy as sa


revision = "0005_event_anchors"
down_revision = "0004_event_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchors", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("anchors")

"""event links: find the warnings of an event through their evidence, by mention

Revision ID: 0004_event_links
Revises: 0003_events
"""
from alembic import op


revision = "0004_event_links"
down_revision = "0003_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("warning_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_warning_evidence_mention", ["mention_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("warning_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_evidence_mention")

"""detect rare rows: partial indexes on the unanswered board messages and the responses

Revision ID: 0005_detect_rare
Revises: 0004_critical_marks

Detection reads, every cycle, the board messages still unanswered (two months of them) and
the government's responses of the last day; both are a few per thousand mentions, so each
gets a partial index by publication time (storage/alerting.py).
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_detect_rare"
down_revision = "0004_critical_marks"
branch_labels = None
depends_on = "0003_topics"     # the voice column

INDEXES = {"ix_mentions_unanswered": "kind = 'message' AND reply = ''",
           "ix_mentions_responses": "voice = 'response'",
           "ix_mentions_unvoiced": "voice IS NULL"}


def upgrade() -> None:
    for name, where in INDEXES.items():
        op.create_index(name, "mentions", ["published_at"], postgresql_where=sa.text(where),
                        sqlite_where=sa.text(where))


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "mentions")

"""detect cache: the hours whose rollups changed, and what detection derived from them

Revision ID: 0002_detect_cache
Revises: 0001

`rollup_changes` lists, in order, the hours whose rollup rows a catch-up or rebuild changed;
`detect_cache` keeps what detection derived from rollup hours (its baseline) with the last
change it had seen, so the next cycles reuse it until one of those hours changes
(storage/detect_cache.py). Both start empty: the first cycle reads the rollups as before.
A branch of its own (no foreign keys to the rollups), so the rollups' migration can still be
stepped down and up on its own.
"""
from alembic import op
import sqlalchemy as sa

from yuqing.storage.types import AwareDateTime

revision = "0002_detect_cache"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollup_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hour", AwareDateTime(), nullable=True),
    )
    op.create_table(
        "detect_cache",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("stamp", sa.String(64), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("lo", AwareDateTime(), nullable=False),
        sa.Column("hi", AwareDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("detect_cache")
    op.drop_table("rollup_changes")

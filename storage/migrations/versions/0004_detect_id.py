"""detect id: the detection index also holds the mention id, for index-only reads on PostgreSQL

Revision ID: 0004_detect_id
Revises: 0003_detect

Detection's reads of the current window and of evidence need each mention's id (its story,
or the mention itself when it has none). SQLite's indexes carry the rowid, which is the id;
PostgreSQL's do not, so every one of those reads fetched a day's to four days' negative rows
from the table itself (8,000 pages, mostly not in memory, for a slow burn's evidence on a
1M-mention store: 0.44 s; read from the index alone 0.16 s). Rebuilding the index on a large
store takes a while (about a minute per few million mentions) and blocks writes meanwhile.
"""
from alembic import op


revision = "0004_detect_id"
down_revision = "0003_detect"
branch_labels = None
depends_on = None

OLD = ["negative", "published_at", "source_id", "place_id", "story_id", "author", "origin"]


def upgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_detect")
        batch_op.create_index("ix_mentions_detect", OLD + ["id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentions_detect")
        batch_op.create_index("ix_mentions_detect", OLD, unique=False)

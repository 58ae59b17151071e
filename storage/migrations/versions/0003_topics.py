"""analysis: the voice of each mention (complaint / news / notice / response), issue 13

Revision ID: 0003_topics
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_topics"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for rows analysed before the column existed: their voice is unknown
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("voice", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("voice")

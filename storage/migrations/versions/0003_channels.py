"""channels: a mention's channel, its id there, its parent post, handling status, details

Revision ID: 0003_channels
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_channels"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=32), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("external_id", sa.String(length=200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=32), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("details", sa.JSON(), nullable=False,
                                   server_default=sa.text("'{}'")))
        batch.create_foreign_key("fk_mentions_parent_id", "mentions", ["parent_id"], ["id"])
        batch.create_index("ix_mentions_channel", ["channel"])
        batch.create_index("ix_mentions_parent_id", ["parent_id"])
        batch.create_index("ix_mentions_source_external", ["source_id", "external_id"])


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_index("ix_mentions_source_external")
        batch.drop_index("ix_mentions_parent_id")
        batch.drop_index("ix_mentions_channel")
        batch.drop_constraint("fk_mentions_parent_id", type_="foreignkey")
        for column in ("details", "status", "parent_id", "external_id", "channel"):
            batch.drop_column(column)

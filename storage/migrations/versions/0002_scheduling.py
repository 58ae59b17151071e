"""scheduling: the scheduler lease and job run timing

Revision ID: 0002_scheduling
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0002_scheduling"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("acquired_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "job_run_info",
        sa.Column("job_run_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("scheduled_at", yuqing.storage.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("lag_seconds", sa.Float(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["job_run_id"], ["job_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_run_id"),
        sa.UniqueConstraint("job", "scheduled_at"),
    )
    with op.batch_alter_table("job_run_info", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_run_info_job"), ["job"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job_run_info", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_run_info_job"))
    op.drop_table("job_run_info")
    op.drop_table("scheduler_leases")

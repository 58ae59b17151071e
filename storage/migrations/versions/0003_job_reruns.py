"""job reruns: a slot interrupted by the scheduler's death is run again (attempt 2, 3)

Revision ID: 0003_job_reruns
Revises: 0002_scheduling
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_job_reruns"
down_revision = "0002_scheduling"
branch_labels = None
depends_on = None

NEW = "uq_job_run_info_slot_attempt"


def _slot_constraint(bind) -> str | None:
    """The unnamed UNIQUE (job, scheduled_at) of 0002_scheduling, as the database named it."""
    for uc in sa.inspect(bind).get_unique_constraints("job_run_info"):
        if sorted(uc["column_names"]) == ["job", "scheduled_at"]:
            return uc["name"]
    return None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite cannot drop a constraint: batch mode copies the table, and the naming
        # convention gives the reflected unnamed constraint a name to drop it by
        with op.batch_alter_table("job_run_info", recreate="always", naming_convention={
                "uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch_op:
            batch_op.add_column(sa.Column("attempt", sa.Integer(), nullable=False,
                                          server_default="1"))
            batch_op.drop_constraint("uq_job_run_info_job", type_="unique")
            batch_op.create_unique_constraint(NEW, ["job", "scheduled_at", "attempt"])
        return
    op.add_column("job_run_info", sa.Column("attempt", sa.Integer(), nullable=False,
                                            server_default="1"))
    old = _slot_constraint(bind)
    if old:
        op.drop_constraint(old, "job_run_info", type_="unique")
    op.create_unique_constraint(NEW, "job_run_info", ["job", "scheduled_at", "attempt"])


def downgrade() -> None:
    op.execute("DELETE FROM job_run_info WHERE attempt > 1")
    with op.batch_alter_table("job_run_info", schema=None) as batch_op:
        batch_op.drop_constraint(NEW, type_="unique")
        batch_op.create_unique_constraint("uq_job_run_info_job", ["job", "scheduled_at"])
        batch_op.drop_column("attempt")

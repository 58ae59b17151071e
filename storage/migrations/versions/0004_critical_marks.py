"""critical marks: mentions holding a critical word, matched once (storage/critical.py)

Revision ID: 0004_critical_marks
Revises: 0003_detect

`critical_marks`, `critical_queue` and `critical_state`. Triggers on mentions queue the id
of every mention inserted or whose title, text or times change, in the changing
transaction; detection re-matches the queued mentions. The marks of an existing store are
made by the first detection run (the range it reads), not here.
"""
from alembic import op
import sqlalchemy as sa

from yuqing.storage.types import AwareDateTime


revision = "0004_critical_marks"
down_revision = "0003_detect"
branch_labels = None
depends_on = None

CHANGED = ("title", "content", "published_at", "fetched_at")

POSTGRES = [
    """CREATE FUNCTION critical_mention_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO critical_queue(mention_id) VALUES (NEW.id);
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER critical_mention_insert AFTER INSERT ON mentions FOR EACH ROW
        EXECUTE FUNCTION critical_mention_changed()""",
    f"""CREATE TRIGGER critical_mention_update AFTER UPDATE OF {', '.join(CHANGED)} ON mentions FOR EACH ROW
        WHEN ({' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in CHANGED)})
        EXECUTE FUNCTION critical_mention_changed()""",
]


def upgrade() -> None:
    op.create_table(
        "critical_marks",
        sa.Column("mention_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_critical_marks_at", "critical_marks", ["at"])
    op.create_table(
        "critical_queue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mention_id", sa.Integer(), nullable=False),
    )
    op.create_table(
        "critical_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("words", sa.String(64), nullable=False),
        sa.Column("since", AwareDateTime(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES:
            op.execute(statement)
    # SQLite: storage.db.upgrade installs the triggers after every migration has run


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in ("critical_mention_insert", "critical_mention_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS critical_mention_changed()")
    else:
        from yuqing.storage.critical import drop_sqlite_triggers

        drop_sqlite_triggers(bind)
    op.drop_table("critical_state")
    op.drop_table("critical_queue")
    op.drop_index("ix_critical_marks_at", "critical_marks")
    op.drop_table("critical_marks")

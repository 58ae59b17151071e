"""rollups: hourly negative volume per topic × place × source, kept right by triggers

Revision ID: 0004_rollups
Revises: 0003_detect

`mention_rollups` and `rollup_queue` (storage/rollups.py). Triggers on mentions and
mention_topics queue the publication time of every negative mention whose counting
attributes change, in the changing transaction; detection recomputes the queued hours.
An existing store has its whole history rolled up here.
"""
from alembic import op
import sqlalchemy as sa

from yuqing.storage.types import AwareDateTime


revision = "0004_rollups"
down_revision = "0003_detect"
branch_labels = None
depends_on = None

WHEN_NEW = "coalesce(NEW.published_at, NEW.fetched_at), NEW.story_id"
WHEN_OLD = "coalesce(OLD.published_at, OLD.fetched_at), OLD.story_id"
# what a rollup row depends on (besides the topic links)
CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in
                      ("negative", "published_at", "fetched_at", "place_id", "story_id", "source_id"))
COLUMNS = "negative, published_at, fetched_at, place_id, story_id, source_id"

POSTGRES = [
    f"""CREATE FUNCTION rollup_mention_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO rollup_queue(at, story_id) VALUES ({WHEN_NEW});
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO rollup_queue(at, story_id) VALUES ({WHEN_OLD});
          ELSE
            IF OLD.negative THEN
              INSERT INTO rollup_queue(at, story_id) VALUES ({WHEN_OLD});
            END IF;
            IF NEW.negative AND (NOT coalesce(OLD.negative, false)
                                 OR coalesce(NEW.published_at, NEW.fetched_at)
                                    IS DISTINCT FROM coalesce(OLD.published_at, OLD.fetched_at)
                                 OR NEW.story_id IS DISTINCT FROM OLD.story_id) THEN
              INSERT INTO rollup_queue(at, story_id) VALUES ({WHEN_NEW});
            END IF;
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE FUNCTION rollup_topic_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO rollup_queue(at, story_id) SELECT coalesce(published_at, fetched_at), story_id FROM mentions
              WHERE id = OLD.mention_id AND negative;
          END IF;
          IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO rollup_queue(at, story_id) SELECT coalesce(published_at, fetched_at), story_id FROM mentions
              WHERE id = NEW.mention_id AND negative;
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER rollup_mention_insert AFTER INSERT ON mentions FOR EACH ROW
        WHEN (NEW.negative) EXECUTE FUNCTION rollup_mention_changed()""",
    f"""CREATE TRIGGER rollup_mention_update AFTER UPDATE OF {COLUMNS} ON mentions FOR EACH ROW
        WHEN ((OLD.negative OR NEW.negative) AND ({CHANGED})) EXECUTE FUNCTION rollup_mention_changed()""",
    """CREATE TRIGGER rollup_mention_delete AFTER DELETE ON mentions FOR EACH ROW
        WHEN (OLD.negative) EXECUTE FUNCTION rollup_mention_changed()""",
    """CREATE TRIGGER rollup_topic_changed AFTER INSERT OR DELETE OR UPDATE OF topic_id, mention_id
        ON mention_topics FOR EACH ROW EXECUTE FUNCTION rollup_topic_changed()""",
]


def upgrade() -> None:
    op.create_table(
        "mention_rollups",
        sa.Column("hour", AwareDateTime(), nullable=False),
        sa.Column("topic_id", sa.String(64), nullable=False),
        sa.Column("place_id", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("gap", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("stories", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "topic_id", "place_id", "source_id", "gap"),
    )
    op.create_table(
        "rollup_queue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", AwareDateTime(), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in POSTGRES:
            op.execute(statement)
    # SQLite: storage.db.upgrade installs the triggers after every migration has run (a
    # batch migration recreates the mentions table, which drops triggers on it)
    # an existing store: its whole history, from the mentions
    from yuqing.storage.rollups import rebuild_in

    rebuild_in(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS rollup_topic_changed ON mention_topics")
        for name in ("rollup_mention_insert", "rollup_mention_update", "rollup_mention_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON mentions")
        op.execute("DROP FUNCTION IF EXISTS rollup_topic_changed()")
        op.execute("DROP FUNCTION IF EXISTS rollup_mention_changed()")
    else:
        from yuqing.storage.rollups import drop_sqlite_triggers

        drop_sqlite_triggers(bind)
    op.drop_table("rollup_queue")
    op.drop_table("mention_rollups")

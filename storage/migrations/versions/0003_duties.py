"""duties: each receiving department's own duty on a warning (issue 14)

Adds per-department clocks, state, response and link nonce to `assignments`, and converts
existing warnings: every department's clocks start from the warning's shared ones (the only
clocks the old schema had), 抄送/上报 get none, and a recorded 回应 is credited only to the
department that recorded it (the old schema credited every receiver).

Revision ID: 0003_duties
Revises: 0001
"""
import secrets

from alembic import op
import sqlalchemy as sa
import yuqing.storage.types


revision = "0003_duties"
down_revision = "0001"
branch_labels = None
depends_on = None

ACK_ROLES = ("主管", "处置", "协调", "值班")
RESPOND_ROLES = ("主管", "处置", "值班")
AT = yuqing.storage.types.AwareDateTime(timezone=True)
COLUMNS = [
    ("state", sa.String(length=16), "open"), ("assigned_at", AT, None),
    ("acknowledge_by", AT, None), ("respond_by", AT, None), ("responded_at", AT, None),
    ("responded_by", sa.String(length=100), ""), ("response_text", sa.Text(), ""),
    ("response_url", sa.String(length=1000), ""), ("response_via", sa.String(length=16), ""),
    ("response_mention_id", sa.Integer(), None), ("response_fetched_at", AT, None),
    ("response_snapshot", sa.Text(), ""), ("respond_escalated_at", AT, None),
    ("link_nonce", sa.String(length=32), ""),
]


def upgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        for name, type_, default in COLUMNS:
            # a server default fills the existing rows; the models give new rows theirs
            batch_op.add_column(sa.Column(name, type_, nullable=default is None,
                                          server_default=None if default is None else sa.text(f"'{default}'")))
    _convert(op.get_bind())


def _convert(bind) -> None:
    meta = sa.MetaData()
    warnings = sa.Table("warnings", meta, sa.Column("id", sa.Integer), sa.Column("opened_at", AT),
                        sa.Column("acknowledge_by", AT), sa.Column("respond_by", AT),
                        sa.Column("response_text", sa.Text), sa.Column("response_url", sa.String))
    assignments = sa.Table("assignments", meta, sa.Column("id", sa.Integer),
                           sa.Column("warning_id", sa.Integer), sa.Column("department_id", sa.String),
                           sa.Column("role", sa.String), sa.Column("active", sa.Boolean),
                           sa.Column("acknowledged_at", AT),
                           *(sa.Column(name, type_) for name, type_, _ in COLUMNS))
    events = sa.Table("warning_events", meta, sa.Column("warning_id", sa.Integer),
                      sa.Column("at", AT), sa.Column("actor", sa.String),
                      sa.Column("action", sa.String), sa.Column("detail", sa.Text), sa.Column("id", sa.Integer))
    shared = {w.id: w for w in bind.execute(sa.select(warnings))}
    responses: dict[tuple[int, str], tuple] = {}
    for e in bind.execute(sa.select(events).where(events.c.action == "回应").order_by(events.c.id)):
        who = (e.detail or "").split("：", 1)[0]
        responses.setdefault((e.warning_id, who), (e.at, e.actor))
    for a in bind.execute(sa.select(assignments)).all():
        w = shared.get(a.warning_id)
        if w is None:
            continue
        # the old duty officer recorded as 值班室: credit the duty office's own row
        key = (a.warning_id, "值班室" if a.role in ("协调", "值班") else a.department_id)
        answered = responses.get(key) if a.role in RESPOND_ROLES or a.role == "协调" else None
        if not a.active:
            state = "reassigned"
        elif answered:
            state = "responded"
        elif a.acknowledged_at is not None:
            state = "read" if a.role in ("抄送", "上报") else "acknowledged"
        else:
            state = "open"
        values = dict(state=state, assigned_at=w.opened_at,
                      acknowledge_by=w.acknowledge_by if a.role in ACK_ROLES else None,
                      respond_by=w.respond_by if a.role in RESPOND_ROLES else None,
                      link_nonce=secrets.token_hex(8))
        if answered:
            values.update(responded_at=answered[0], responded_by=answered[1] or "",
                          response_text=w.response_text or "", response_url=w.response_url or "",
                          response_via="migrated")
        bind.execute(assignments.update().where(assignments.c.id == a.id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        for name, _, _ in reversed(COLUMNS):
            batch_op.drop_column(name)

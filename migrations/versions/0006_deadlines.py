"""deadlines: the working-day calendar's changes, service levels, clocks on the message,
deadline notices, and the timeline kinds of the sweep and the Super Admin's instruction

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

Open messages get their clocks from the default service levels (3 / 5 / 14 working
days) the first time the calendar is recomputed (`aspirasi sweep --recompute`, or any
change of the calendar); until then they show no due date.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_KINDS = ("submit", "forward", "escalate", "reject", "start", "progress", "note", "return",
             "resolve")
NEW_KINDS = OLD_KINDS + ("instruct", "remind", "overdue", "flag")
MESSAGE_COLUMNS = (
    ("triage_from", sa.DateTime()), ("triage_days", sa.SmallInteger()),
    ("triage_due_at", sa.DateTime()), ("opd_from", sa.DateTime()),
    ("response_days", sa.SmallInteger()), ("response_due_at", sa.DateTime()),
    ("opd_response_at", sa.DateTime()), ("resolution_days", sa.SmallInteger()),
    ("resolution_due_at", sa.DateTime()), ("opd_resolved_at", sa.DateTime()),
    ("due_clock", sa.String(20)), ("due_at", sa.DateTime()), ("paused_at", sa.DateTime()),
    ("flagged_at", sa.DateTime()),
)
MESSAGE_INDEXES = (
    ("ix_message_due", ["due_at"]),
    ("ix_message_opd_due", ["opd_id", "due_at"]),
)
FLAGGED = "flagged_at IS NOT NULL"  # the partial index of the Super Admin's queue


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _kinds(values):
    with op.batch_alter_table("status_change") as batch_op:
        batch_op.drop_constraint("ck_status_change_kind", type_="check")
        batch_op.create_check_constraint("ck_status_change_kind", _one_of("kind", values))


def upgrade():
    op.create_table(
        "holiday_override",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False, unique=True),
        sa.Column("name", sa.String(150), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "service_level",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id"), nullable=False),
        sa.Column("subcategory_id", sa.Integer(), sa.ForeignKey("subcategory.id")),
        sa.Column("triage_days", sa.SmallInteger(), nullable=False),
        sa.Column("response_days", sa.SmallInteger(), nullable=False),
        sa.Column("resolution_days", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("triage_days BETWEEN 1 AND 365 AND response_days BETWEEN 1 AND 365 "
                           "AND resolution_days BETWEEN 1 AND 365",
                           name="ck_service_level_days"),
    )
    op.create_index("uq_service_level_scope", "service_level",
                    ["category_id", sa.text("coalesce(subcategory_id, 0)")], unique=True)
    op.create_table(
        "deadline_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("message.id"), nullable=False),
        sa.Column("clock", sa.String(20), nullable=False),
        sa.Column("clock_from", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("message_id", "clock", "clock_from", "kind",
                            name="uq_deadline_notice_once"),
    )
    with op.batch_alter_table("message") as batch_op:
        for name, kind in MESSAGE_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        for name in ("clock_paused_days", "paused_days"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False,
                                          server_default="0"))
        for name, columns in MESSAGE_INDEXES:
            batch_op.create_index(name, columns)
    op.create_index("ix_message_flagged", "message", ["due_at"],
                    sqlite_where=sa.text(FLAGGED), postgresql_where=sa.text(FLAGGED))
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM status_change WHERE kind IN "
               f"({', '.join(repr(k) for k in NEW_KINDS if k not in OLD_KINDS)})")
    _kinds(OLD_KINDS)
    op.drop_index("ix_message_flagged", table_name="message")
    with op.batch_alter_table("message") as batch_op:
        for name, _columns in MESSAGE_INDEXES:
            batch_op.drop_index(name)
        for name in ("clock_paused_days", "paused_days"):
            batch_op.drop_column(name)
        for name, _kind in reversed(MESSAGE_COLUMNS):
            batch_op.drop_column(name)
    op.drop_table("deadline_notice")
    op.drop_index("uq_service_level_scope", table_name="service_level")
    op.drop_table("service_level")
    op.drop_table("holiday_override")

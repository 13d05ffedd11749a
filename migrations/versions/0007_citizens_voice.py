"""the citizen's voice: questions and answers, reopen, appeal, withdraw (issue 14)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 18:40:00

Two statuses (`menunggu`, `dibatalkan`) and seven timeline kinds widen the CHECK
constraints of 0005 and 0006; the message row gets the status a question interrupted, when it
was asked, whether it was finished for want of an answer, how often it was reopened
when its rejection was appealed, and the resolution clock a reopening starts.
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_STATUSES = ("baru", "eskalasi", "diteruskan", "diproses", "selesai", "ditolak")
NEW_STATUSES = (*OLD_STATUSES, "menunggu", "dibatalkan")
OLD_KINDS = ("submit", "forward", "escalate", "reject", "start", "progress", "note", "return",
             "resolve", "instruct", "remind", "overdue", "flag")  # as 0006 left them
NEW_KINDS = (*OLD_KINDS, "ask", "answer", "auto_close", "add_info", "reopen", "appeal",
             "withdraw")


def _checks(statuses, kinds):
    return (
        ("message", "ck_message_status", "status", statuses),
        ("status_change", "ck_status_change_kind", "kind", kinds),
        ("status_change", "ck_status_change_from_status", "from_status", statuses),
        ("status_change", "ck_status_change_to_status", "to_status", statuses),
    )


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_checks(old, new):
    for table in ("message", "status_change"):
        with op.batch_alter_table(table) as batch_op:
            for check_table, name, _column, _values in old:
                if check_table == table:
                    batch_op.drop_constraint(name, type_="check")
            for check_table, name, column, values in new:
                if check_table == table:
                    batch_op.create_check_constraint(name, _one_of(column, values))


def upgrade():
    with op.batch_alter_table("message") as batch_op:
        batch_op.add_column(sa.Column("waiting_from", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("asked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("auto_closed", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("reopen_count", sa.SmallInteger(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("appealed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reopen_due_at", sa.DateTime(), nullable=True))
    _replace_checks(_checks(OLD_STATUSES, OLD_KINDS), _checks(NEW_STATUSES, NEW_KINDS))


def downgrade():
    # Rows in the new statuses or kinds cannot go back: the old checks would refuse them.
    _replace_checks(_checks(NEW_STATUSES, NEW_KINDS), _checks(OLD_STATUSES, OLD_KINDS))
    with op.batch_alter_table("message") as batch_op:
        for column in ("reopen_due_at", "reopened_at", "appealed_at", "reopen_count", "auto_closed", "asked_at",
                       "waiting_from"):
            batch_op.drop_column(column)

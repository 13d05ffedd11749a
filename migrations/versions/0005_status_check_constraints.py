"""the database guards the status machine: CHECK constraints on statuses and kinds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:30:00

message.status and status_change.{from_status,to_status} hold one of the statuses,
status_change.kind one of the workflow's moves. A later status or move extends them
with a migration of its own (drop the constraint, create it with the longer list).
"""

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

STATUSES = ("baru", "eskalasi", "diteruskan", "diproses", "selesai", "ditolak")
KINDS = ("submit", "forward", "escalate", "reject", "start", "progress", "note", "return",
         "resolve")
CHECKS = (
    ("message", "ck_message_status", "status", STATUSES),
    ("status_change", "ck_status_change_kind", "kind", KINDS),
    ("status_change", "ck_status_change_from_status", "from_status", STATUSES),
    ("status_change", "ck_status_change_to_status", "to_status", STATUSES),
)


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    for table in ("message", "status_change"):
        with op.batch_alter_table(table) as batch_op:
            for check_table, name, column, values in CHECKS:
                if check_table == table:
                    batch_op.create_check_constraint(name, _one_of(column, values))


def downgrade():
    for table in ("message", "status_change"):
        with op.batch_alter_table(table) as batch_op:
            for check_table, name, _column, _values in CHECKS:
                if check_table == table:
                    batch_op.drop_constraint(name, type_="check")

"""daily aggregates: counts, duration histograms and clock outcomes per local day, month and year of submission

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:00:00

The report reads these instead of the message rows; the workflow keeps them up to date
in the same transaction as each move. The upgrade fills them from the existing rows
(the same code as `flask --app app aspirasi aggregates rebuild`).
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

GRAINS = "grain IN ('day', 'month', 'year')"
STATUSES = ("baru", "eskalasi", "diteruskan", "diproses", "selesai", "ditolak", "menunggu",
            "dibatalkan")  # the model's Status, in its order


def upgrade():
    op.create_table(
        "aggregate_count",
        sa.Column("grain", sa.String(5), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("opd_id", sa.Integer, primary_key=True),
        sa.Column("category_id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(20), primary_key=True),
        sa.Column("messages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ratings", sa.Integer, nullable=False, server_default="0"),
        sa.Column("stars", sa.Integer, nullable=False, server_default="0"),
        sa.Column("resolved", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reopened", sa.Integer, nullable=False, server_default="0"),
        sa.Column("appealed", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint(GRAINS, name="ck_aggregate_count_grain"),
        sa.CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})",
                           name="ck_aggregate_count_status"),
        sqlite_with_rowid=False,  # the key is the order the report reads in
    )
    op.create_table(
        "aggregate_duration",
        sa.Column("grain", sa.String(5), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("opd_id", sa.Integer, primary_key=True),
        sa.Column("milestone", sa.SmallInteger, primary_key=True),
        sa.Column("bucket", sa.SmallInteger, primary_key=True),
        sa.Column("messages", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint(GRAINS, name="ck_aggregate_duration_grain"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "aggregate_clock",
        sa.Column("grain", sa.String(5), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("opd_id", sa.Integer, primary_key=True),
        sa.Column("clock", sa.SmallInteger, primary_key=True),
        sa.Column("outcome", sa.SmallInteger, primary_key=True),
        sa.Column("due_at", sa.DateTime, primary_key=True),
        sa.Column("messages", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint(GRAINS, name="ck_aggregate_clock_grain"),
        sqlite_with_rowid=False,
    )
    _fill()


def _fill():
    """Existing messages get their aggregates now (none in a new database)."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT 1 FROM message LIMIT 1")).first():
        return
    from app.services.aggregates_rebuild import rebuild

    rebuild(bind)


def downgrade():
    op.drop_table("aggregate_clock")
    op.drop_table("aggregate_duration")
    op.drop_table("aggregate_count")

"""page revisions: when a page drawn earlier for someone is stale

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:45:00

`ab_user.pages_revision` is bumped whenever anything of that person's own messages
changes; the one row of `page_revision` whenever something every page may show changes
(reference names, the calendar, service levels, recomputed due dates). Kept pages
(app/views/kept_pages.py) are keyed by both.
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ab_user") as batch:
        batch.add_column(sa.Column("pages_revision", sa.Integer, nullable=False,
                                   server_default="0"))
    op.create_table(
        "page_revision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("id = 1", name="ck_page_revision_one_row"),
    )
    op.execute("INSERT INTO page_revision (id, revision) VALUES (1, 0)")


def downgrade():
    op.drop_table("page_revision")
    with op.batch_alter_table("ab_user") as batch:
        batch.drop_column("pages_revision")

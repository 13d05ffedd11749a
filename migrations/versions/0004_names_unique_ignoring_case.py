"""names unique ignoring case: OPD name and short name, subcategory name per category

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00

The exact-match unique constraints become unique indexes on lower(...), so that
"dinas sosial" cannot sit next to "Dinas Sosial". Rows that already collide ignoring
case keep their ids (messages point at them); the later ones get " #<id>" appended to
the name, for an Admin to merge or deactivate.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, columns of the old unique constraint, the column compared ignoring case,
#  its length, the columns the name is unique within)
UNIQUE_NAMES = (
    ("opd", ["name"], "name", 200, []),
    ("opd", ["short_name"], "short_name", 40, []),
    ("subcategory", ["category_id", "name"], "name", 150, ["category_id"]),
)
INDEXES = (
    ("uq_opd_name_lower", "opd", ["lower(name)"]),
    ("uq_opd_short_name_lower", "opd", ["lower(short_name)"]),
    ("uq_subcategory_category_name_lower", "subcategory", ["category_id", "lower(name)"]),
)


def _rename_collisions(table, column, length, within):
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        f"SELECT id, {', '.join([*within, column])} FROM {table} ORDER BY id")).fetchall()
    seen = set()
    for row in rows:
        *scope, value = row[1:]
        key = (*scope, value.lower())
        if key in seen:
            suffix = f" #{row[0]}"
            bind.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                         {"value": value[:length - len(suffix)] + suffix, "id": row[0]})
        seen.add(key)


def _drop_unique(table, columns):
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite's constraints are unnamed: name them by convention while the table is
        # copied, then drop the named one.
        convention = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
        name = f"uq_{table}_{'_'.join(columns)}"
        with op.batch_alter_table(table, naming_convention=convention) as batch_op:
            batch_op.drop_constraint(name, type_="unique")
        return
    for constraint in sa.inspect(bind).get_unique_constraints(table):
        if constraint["column_names"] == columns:
            op.drop_constraint(constraint["name"], table, type_="unique")


def upgrade():
    for table, columns, column, length, within in UNIQUE_NAMES:
        _rename_collisions(table, column, length, within)
        _drop_unique(table, columns)
    for name, table, expressions in INDEXES:
        op.create_index(name, table, [sa.text(e) if "(" in e else e for e in expressions],
                        unique=True)


def downgrade():
    for name, table, _expressions in INDEXES:
        op.drop_index(name, table_name=table)
    for table, columns, _column, _length, _within in UNIQUE_NAMES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_unique_constraint(f"uq_{table}_{'_'.join(columns)}", columns)

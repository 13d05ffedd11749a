"""Writing many rows fast: COPY on PostgreSQL (psycopg 3), executemany on SQLite.

Rows go through the connection's own transaction; nothing is committed here.
"""

from datetime import date, datetime

from sqlalchemy import text


def insert_rows(connection, table, rows, columns=None):
    """Insert `rows` into `table`: dicts, or tuples in the order of `columns`."""
    if not rows:
        return
    if columns is None:
        columns = list(rows[0])
        rows = [tuple(row[c] for c in columns) for row in rows]
    if connection.dialect.name == "postgresql":
        _copy(connection, table.name, columns, rows)
    else:
        _executemany(connection, table.name, columns, rows)


def _copy(connection, name, columns, rows):
    raw = connection.connection.driver_connection
    listed = ", ".join(columns)
    with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def sqlite_value(value):
    """A value in the text form SQLAlchemy's SQLite types store (and compare) it in."""
    if isinstance(value, datetime):
        return value.isoformat(" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _executemany(connection, name, columns, rows):
    places = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({places})"  # noqa: S608
    raw = connection.connection.driver_connection
    raw.executemany(statement, ([sqlite_value(v) for v in row] for row in rows))


def analyze(connection):
    """Fresh planner statistics (ANALYZE), after a bulk load."""
    if connection.dialect.name == "sqlite":
        # A sample per index is enough for the planner and keeps this to seconds.
        connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
    connection.execute(text("ANALYZE"))

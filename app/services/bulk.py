"""Writing many rows fast: COPY on PostgreSQL (psycopg 3), executemany on SQLite.

Rows go through the connection's own transaction; nothing is committed here.
"""

import os
from datetime import date, datetime

from sqlalchemy import inspect, text, types

from ..extensions import db


def insert_rows(connection, table, rows, columns=None):
    """Insert `rows` into `table`: dicts, or tuples in the order of `columns` already in
    the driver's form (on SQLite, dates and datetimes as `sqlite_value` gives them)."""
    if not rows:
        return
    sqlite_form = connection.dialect.name == "sqlite"
    if columns is None:
        columns = list(rows[0])
        convert = sqlite_value if sqlite_form else (lambda value: value)
        rows = [tuple(convert(row[c]) for c in columns) for row in rows]
    if sqlite_form:
        _executemany(connection, table.name, columns, rows)
    else:
        _copy(connection, table, columns, rows)


# PostgreSQL's names of the column types COPY's binary format must be told.
_PG_TYPES = ((types.Boolean, "bool"), (types.SmallInteger, "int2"),
             (types.BigInteger, "int8"), (types.Integer, "int4"), (types.Text, "text"),
             (types.String, "varchar"), (types.DateTime, "timestamp"), (types.Date, "date"))


def _pg_type(column):
    return next(name for kind, name in _PG_TYPES if isinstance(column.type, kind))


def _copy(connection, table, columns, rows):
    """COPY in the binary format: five times less work for the client than text."""
    raw = connection.connection.driver_connection
    listed = ", ".join(columns)
    statement = f"COPY {table.name} ({listed}) FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types([_pg_type(table.c[name]) for name in columns])
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
    raw.executemany(statement, rows)


def analyze(connection):
    """Fresh planner statistics (ANALYZE), after a bulk load."""
    if connection.dialect.name == "sqlite":
        # A sample per index is enough for the planner and keeps this to seconds.
        connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
    connection.execute(text("ANALYZE"))


def _sqlite_time(value):
    return None if value is None else value.isoformat(" ", timespec="microseconds")


def _as_is(value):
    return value


class BulkLoad:
    """A load of many rows into the tables of `models`, in one transaction.

    SQLite: no fsync and the rollback journal in memory during the load; the commit
    itself is synchronous again, so the data ends durable. Into an empty database the
    tables' secondary indexes are dropped first and built once after the load (both
    databases): one sort instead of a million B-tree insertions.
    """

    def __init__(self, connection, models):
        self.connection = connection
        self.tables = [model.__table__ for model in models]
        self.sqlite = connection.dialect.name == "sqlite"
        self.raw = connection.connection.driver_connection
        # A datetime in the form the driver takes fastest (SQLite: SQLAlchemy's text).
        self.value = _sqlite_time if self.sqlite else _as_is

    def __enter__(self):
        run = self.connection.exec_driver_sql
        if self.sqlite:
            # journal_mode can only change outside a transaction: end the driver's
            # (there is none open unless something was written before).
            self.raw.commit()
            run("PRAGMA journal_mode = MEMORY")
            run("PRAGMA synchronous = OFF")
            run("PRAGMA cache_size = -262144")  # 256 MiB for this connection
            # SQLite evaluates an IN-list CHECK slowly (4 s per million rows each); the
            # values loaded come from the very enums the constraints list.
            run("PRAGMA ignore_check_constraints = ON")
        else:
            run("SET LOCAL synchronous_commit = off")
            run("SET LOCAL maintenance_work_mem = '256MB'")
        first = self.tables[0]
        self.fresh = self.connection.execute(first.select().limit(1)).first() is None
        self.dropped, self.foreign_keys = [], []
        if self.fresh:
            for table in self.tables:
                for index in table.indexes:
                    index.drop(self.connection)
                    self.dropped.append(index)
            if not self.sqlite:
                self._drop_foreign_keys()
        return self

    def _drop_foreign_keys(self):
        """PostgreSQL checks a foreign key row by row during COPY; added back after the
        load, each is validated by one join."""
        inspector = inspect(self.connection)
        for table in self.tables:
            for key in inspector.get_foreign_keys(table.name):
                self.connection.exec_driver_sql(
                    f'ALTER TABLE {table.name} DROP CONSTRAINT "{key["name"]}"')
                self.foreign_keys.append((table.name, key))

    def _add_foreign_keys(self):
        for name, key in self.foreign_keys:
            self.connection.exec_driver_sql(
                f'ALTER TABLE {name} ADD CONSTRAINT "{key["name"]}" FOREIGN KEY '
                f'({", ".join(key["constrained_columns"])}) REFERENCES '
                f'{key["referred_table"]} ({", ".join(key["referred_columns"])})')
        self.foreign_keys = []

    def insert(self, model, columns, rows):
        """Rows already in driver form (`value`), as tuples in the order of `columns`."""
        if not rows:
            return
        if self.sqlite:
            places = ", ".join("?" for _ in columns)
            statement = (f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) "  # noqa: S608
                         f"VALUES ({places})")
            self.raw.executemany(statement, rows)
        else:
            _copy(self.connection, model.__table__, columns, rows)

    def rebuild_indexes(self):
        """Indexes (and on PostgreSQL foreign keys) dropped for the load, back again."""
        for index in self.dropped:
            index.create(self.connection)
        self.dropped = []
        self._add_foreign_keys()
        if not self.sqlite:
            for table in self.tables:
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)")

    def analyze(self):
        analyze(self.connection)

    def commit(self):
        """Commit the load and make it durable."""
        if self.sqlite:
            self.raw.commit()
            self._restore()
            # The commit ran without fsync: sync the file now.
            path = self.raw.execute("PRAGMA database_list").fetchone()[2]
            if path:
                descriptor = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)
        db.session.commit()

    def _restore(self):
        self.raw.execute("PRAGMA ignore_check_constraints = OFF")
        self.raw.execute("PRAGMA synchronous = FULL")
        self.raw.execute("PRAGMA journal_mode = DELETE")

    def __exit__(self, *exc):
        if exc[0] is not None:
            db.session.rollback()
            if self.sqlite:
                self._restore()
        return False

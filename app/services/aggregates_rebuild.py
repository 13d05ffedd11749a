"""Rebuild the daily aggregates from the rows, or compare them with the rows.

`flask --app app aspirasi aggregates rebuild|check` call these; migration 0008 fills
the tables of an existing database with `rebuild`, and a change to the working-day
calendar (services/deadlines.py: `recompute_open`) rebuilds them, as the due times of
open messages and the working days between past dates may change with it.
"""

from sqlalchemy import delete, select, text

from ..extensions import db
from ..models import HolidayOverride, Message, Rating
from ..timeutil import local_zone
from .aggregates import TABLES, Tally, grained, write_tally
from .aggregates_tally import FIELDS
from .calendar import WorkingCalendar

STREAM = 20_000


def tally_of_rows(connection):
    """The tally of every message in the database, read in one streamed pass."""
    overrides = connection.execute(select(HolidayOverride.__table__)).all()
    tally = Tally(WorkingCalendar(overrides, zone=local_zone()))
    query = (select(*(getattr(Message, name) for name in FIELDS), Rating.stars)
             .outerjoin(Rating, Rating.message_id == Message.id))
    for row in connection.execute(query.execution_options(yield_per=STREAM)):
        tally.add_state(row)
    return tally


def _connection(connection):
    """The given connection, or the session's with its pending changes flushed."""
    if connection is not None:
        return connection
    db.session.flush()
    return db.session.connection()


def rebuild(connection=None):
    """Replace the aggregates by a fresh count of the rows; returns the number of rows
    written per table. On PostgreSQL the tables are locked first, so no move's change
    is counted twice or lost meanwhile (moves wait for the rebuild's commit)."""
    connection = _connection(connection)
    if connection.dialect.name == "postgresql":
        names = ", ".join(model.__tablename__ for model, _keys, _values in TABLES)
        connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    tally = tally_of_rows(connection)
    for model, _keys, _values in TABLES:
        connection.execute(delete(model.__table__))
    write_tally(connection, tally, bulk=True)
    return tuple(len(found) for found in grained(tally))


def _stored(connection):
    result = []
    for model, keys, values in TABLES:
        table = model.__table__
        found = {}
        for row in connection.execute(select(*(table.c[k] for k in keys + values))):
            stored = tuple(row[len(keys):])
            if any(stored):
                found[tuple(row[:len(keys)])] = stored
        result.append(found)
    return result


def differences(connection=None, limit=20):
    """How the aggregates differ from a count of the rows: a list of lines, empty when
    they agree (at most `limit` lines, then a line saying how many more)."""
    connection = _connection(connection)
    expected_all = [{key: tuple(v) if isinstance(v, list) else (v,) for key, v in rows.items()}
                    for rows in grained(tally_of_rows(connection))]
    lines = []
    for (model, keys, _values), expected, stored in zip(
            TABLES, expected_all, _stored(connection), strict=True):
        name = model.__tablename__.removeprefix("aggregate_")
        for key in sorted(set(expected) | set(stored), key=str):
            if expected.get(key) != stored.get(key):
                where = ", ".join(f"{f}={v}" for f, v in zip(keys, key, strict=True))
                lines.append(f"{name} {where}: rows give {expected.get(key)}, "
                             f"aggregates hold {stored.get(key)}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more differences"]
    return lines

"""Rebuild the daily aggregates from the rows, or compare them with the rows.

`flask --app app aspirasi aggregates rebuild|check` call these; migration 0008 fills
the tables of an existing database with `rebuild`.
"""

from sqlalchemy import delete, select

from ..extensions import db
from ..models import CountAggregate, DurationAggregate, Message, Rating
from .aggregates import COUNT_KEY, COUNT_VALUES, DURATION_KEY, Tally, write_tally

STREAM = 20_000


def tally_of_rows(connection):
    """The tally of every message in the database, read in one streamed pass."""
    m = Message
    query = (select(m.created_at, m.opd_id, m.category_id, m.status, m.forwarded_at,
                    m.first_response_at, m.resolved_at, m.auto_closed, Rating.stars)
             .outerjoin(Rating, Rating.message_id == m.id))
    tally = Tally()
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
    """Replace the aggregates by a fresh count of the rows; returns (count rows,
    duration rows) written."""
    connection = _connection(connection)
    tally = tally_of_rows(connection)
    connection.execute(delete(CountAggregate.__table__))
    connection.execute(delete(DurationAggregate.__table__))
    write_tally(connection, tally, bulk=True)
    return tuple(len(rows) for rows in tally.rows())


def _stored(connection):
    c, d = CountAggregate.__table__, DurationAggregate.__table__
    counts = {tuple(row[:5]): tuple(row[5:])
              for row in connection.execute(select(*(c.c[k] for k in COUNT_KEY + COUNT_VALUES)))
              if any(row[5:])}
    durations = {tuple(row[:5]): row[5]
                 for row in connection.execute(select(*(d.c[k] for k in DURATION_KEY),
                                                      d.c.messages))
                 if row[5]}
    return counts, durations


def differences(connection=None, limit=20):
    """How the aggregates differ from a count of the rows: a list of lines, empty when
    they agree (at most `limit` lines, then a line saying how many more)."""
    connection = _connection(connection)
    tally = tally_of_rows(connection)
    counts, expected_durations = tally.grained()
    expected_counts = {key: tuple(values) for key, values in counts.items()}
    stored_counts, stored_durations = _stored(connection)
    lines = []
    for name, expected, stored, fields in (
        ("count", expected_counts, stored_counts, COUNT_KEY),
        ("duration", expected_durations, stored_durations, DURATION_KEY),
    ):
        for key in sorted(set(expected) | set(stored), key=str):
            if expected.get(key) != stored.get(key):
                where = ", ".join(f"{f}={v}" for f, v in zip(fields, key, strict=True))
                lines.append(f"{name} {where}: rows give {expected.get(key)}, "
                             f"aggregates hold {stored.get(key)}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more differences"]
    return lines

"""Daily aggregates of the messages: what the report reads instead of the rows.

A message contributes, under the local (WITA) day of its submission and under that
day's month and year (the grains of app/models/aggregate.py), its counts, durations
and clocks (what they are: app/services/aggregates_tally.py).

Buckets: whole hours under a week (0..167), whole days from 7 to 365 days (168..526),
one last bucket for a year or more (527). A median read from them takes the middle of
its bucket: within half an hour of the exact median under a week, half a day up to a
year; a median of a year or more shows as 366 days.

The workflow calls `changed(message, before)` in every move's transaction (`before`
from `state_before`), and `rated` when a rating is given; `demo`, `generate` and the
rebuild add whole tallies (`Tally`, `write_tally`). The report reads them through
app/services/aggregates_read.py.
"""

from datetime import date

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import ClockAggregate, CountAggregate, DurationAggregate
from ..models.aggregate import DAY, MONTH, YEAR
from .aggregates_tally import (  # noqa: F401  (the names other modules read here)
    COUNT_VALUES,
    DAY_SECONDS,
    FIELDS,
    HOUR,
    HOURLY,
    LAST_DAY,
    OVERFLOW,
    Tally,
    bucket_of,
)
from .bulk import insert_rows, sqlite_value

COUNT_KEY = ("grain", "day", "opd_id", "category_id", "status")
DURATION_KEY = ("grain", "day", "opd_id", "milestone", "bucket")
DURATION_VALUES = ("messages",)
CLOCK_KEY = ("grain", "day", "opd_id", "clock", "outcome", "due_at")
CLOCK_VALUES = ("messages",)
TABLES = ((CountAggregate, COUNT_KEY, COUNT_VALUES),
          (DurationAggregate, DURATION_KEY, DURATION_VALUES),
          (ClockAggregate, CLOCK_KEY, CLOCK_VALUES))


def bucket_seconds(bucket):
    """The duration a bucket stands for: its middle (the overflow bucket: 366 days)."""
    if bucket < HOURLY:
        return bucket * HOUR + HOUR // 2
    if bucket < OVERFLOW:
        return (bucket - HOURLY + 7) * DAY_SECONDS + DAY_SECONDS // 2
    return (LAST_DAY + 1) * DAY_SECONDS


def grain_days(day):
    """The (grain, first day) rows one local day counts in."""
    return ((DAY, day), (MONTH, day.replace(day=1)), (YEAR, day.replace(month=1, day=1)))


def grained(tally):
    """The tally's rows of every grain: (counts, durations, clocks) dicts by key."""
    return tally.grained(grain_days)


def _values(value):
    return tuple(value) if isinstance(value, list) else (value,)


def tuples(tally, convert=lambda value: value):
    """Per table, its rows as tuples of key and values in key order (the tables' own:
    appending is the cheapest insert); `convert` converts the dates and times."""
    return [[(grain, convert(first), *(convert(v) if isinstance(v, date) else v
                                       for v in rest), *_values(value))
             for (grain, first, *rest), value in sorted(rows.items())]
            for rows in grained(tally)]


def rows(tally):
    """Per table, its rows as dicts, in key order (concurrent moves then lock rows in
    one order: no deadlock)."""
    return [[dict(zip(keys + values, (*key, *_values(value)), strict=True))
             for key, value in sorted(found.items())]
            for found, (_model, keys, values) in zip(grained(tally), TABLES, strict=True)]


# --- maintenance by the workflow ---------------------------------------------------

def current_stars(message):
    """The stars of the message's rating (None: not rated); loads it if needed, without
    flushing the running move (one UPDATE per move: the version counts moves)."""
    with db.session.no_autoflush:
        rating = message.rating
    return rating.stars if rating is not None else None


def state_before(message):
    """The message's fields as they were loaded, before the running move changed them
    (SQLAlchemy keeps the loaded value of each changed attribute until the next flush:
    call this before the move's changes are flushed). None for a message not yet saved."""
    if message.id is None:
        return None
    committed = inspect(message).committed_state
    return tuple(committed[name] if name in committed else getattr(message, name)
                 for name in FIELDS)


def state_now(message):
    return tuple(getattr(message, name) for name in FIELDS)


def changed(message, before, stars=None):
    """Move the message's contribution from `before` (None: a new message) to now."""
    after = state_now(message)
    if before == after:
        return
    tally = Tally()
    if before is not None:
        tally.add_state((*before, stars), sign=-1)
    tally.add_state((*after, stars))
    write_tally(db.session.connection(), tally)


def rated(message, stars):
    """A rating of `stars` was given to `message`."""
    tally = Tally()
    tally.add_state((*state_now(message), None), sign=-1)
    tally.add_state((*state_now(message), stars))
    write_tally(db.session.connection(), tally)


def _upsert(connection, model, keys, values, rows):
    table = model.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys],
        set_={v: table.c[v] + statement.excluded[v] for v in values},
    )
    connection.execute(statement, rows)


def empty(connection):
    """Whether the aggregate tables hold no row (a tally may then be inserted as is)."""
    return all(connection.scalar(select(model.grain).limit(1)) is None
               for model, _keys, _values in TABLES)


def write_tally(connection, tally, bulk=False):
    """Add a tally to the tables (rows are created as needed); `bulk`: the tables are
    empty, insert the rows the fastest way."""
    if bulk:
        convert = sqlite_value if connection.dialect.name == "sqlite" else (lambda v: v)
        for found, (model, keys, values) in zip(tuples(tally, convert), TABLES, strict=True):
            insert_rows(connection, model.__table__, found, keys + values)
        return
    for found, (model, keys, values) in zip(rows(tally), TABLES, strict=True):
        if found:
            _upsert(connection, model, keys, values, found)

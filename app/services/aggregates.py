"""Daily aggregates of the messages: what the report reads instead of the rows.

A message contributes, under the local (WITA) day of its submission and under that
day's month and year (the grains of app/models/aggregate.py):
- one count to (OPD, category, status), with its rating's stars when it has one;
- for a forwarded message with an OPD, one count per milestone it reached (forwarded,
  first response, resolved) to the bucket of the time from submission to it; none for
  a message finished for want of the sender's answer (`auto_closed`: its speed is not
  the OPD's).

Buckets: whole hours under a week (0..167), whole days from 7 to 365 days (168..526),
one last bucket for a year or more (527). A median read from them takes the middle of
its bucket: within half an hour of the exact median under a week, half a day up to a
year; a median of a year or more shows as 366 days.

The workflow calls `changed(message, before)` in every move's transaction (`before`
from `state_before`), and `rated` when a rating is given; `demo`, `generate` and the
rebuild add whole tallies (`Tally`, `write_tally`). The report reads them through
app/services/aggregates_read.py.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import CountAggregate, DurationAggregate
from ..models.aggregate import DAY, MONTH, YEAR
from ..timeutil import local_day_bounds_utc, to_local
from .bulk import insert_rows

HOUR, DAY_SECONDS = 3600, 86400
HOURLY = 168  # buckets 0..167: whole hours of the first week
LAST_DAY = 365  # buckets 168..526: whole days 7..365
OVERFLOW = HOURLY + LAST_DAY - 7 + 1  # 527: a year or more
MILESTONES = ("forwarded_at", "first_response_at", "resolved_at")  # milestone 1, 2, 3
FIELDS = ("created_at", "opd_id", "category_id", "status", *MILESTONES, "auto_closed")

COUNT_KEY = ("grain", "day", "opd_id", "category_id", "status")
COUNT_VALUES = ("messages", "ratings", "stars")
DURATION_KEY = ("grain", "day", "opd_id", "milestone", "bucket")
DURATION_VALUES = ("messages",)


def bucket_of(seconds):
    """The bucket of a duration in seconds (negative counts as 0)."""
    seconds = max(0, int(seconds))
    if seconds < HOURLY * HOUR:
        return seconds // HOUR
    days = seconds // DAY_SECONDS
    return HOURLY + days - 7 if days <= LAST_DAY else OVERFLOW


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


class Tally:
    """Signed contributions, summed per aggregate row: what to add to the tables.

    Counted per local day; the month and year rows are summed from the days when the
    rows are taken (`grained`), which is far cheaper than three rows per message.
    """

    def __init__(self):
        self.counts = defaultdict(lambda: [0, 0, 0])  # (day, opd, category, status)
        self.durations = defaultdict(int)  # (day, opd, milestone, bucket)
        self._days = {}
        self._window = (None, None, None)  # [start, end) UTC of the last local day seen

    def local_day(self, created_at):
        start, end, day = self._window
        if start is not None and start <= created_at < end:
            return day  # rows mostly come in date order: the same day as the last
        # The local date cannot change within a quarter of an hour (every zone's
        # offset is a multiple of it), so one conversion serves each quarter.
        quarter = created_at.replace(minute=created_at.minute // 15 * 15, second=0,
                                     microsecond=0)
        day = self._days.get(quarter)
        if day is None:
            day = self._days[quarter] = to_local(quarter).date()
            self._window = (*local_day_bounds_utc(day, day), day)
        return day

    def add(self, created_at, opd_id, category_id, status, milestones, stars, sign=1,
            auto_closed=False):
        """Count one message (`sign=-1`: take it back out). `milestones` are the three
        datetimes of MILESTONES (or None), `stars` its rating's stars or None."""
        day = self.local_day(created_at)
        opd = opd_id or 0
        row = self.counts[(day, opd, category_id or 0, str(status))]
        row[0] += sign
        if stars is not None:
            row[1] += sign
            row[2] += sign * stars
        if opd_id is None or milestones[0] is None or auto_closed:
            return
        durations = self.durations
        for number, moment in enumerate(milestones, start=1):
            if moment is not None:
                durations[(day, opd, number, bucket_of((moment - created_at).total_seconds()))
                          ] += sign

    def add_state(self, state, sign=1):
        """Count a message given as (created_at, opd_id, category_id, status,
        forwarded_at, first_response_at, resolved_at, auto_closed, stars)."""
        self.add(*state[:4], state[4:7], state[8], sign, bool(state[7]))

    def grained(self):
        """({(grain, first day, opd, category, status): [messages, ratings, stars]},
        {(grain, first day, opd, milestone, bucket): messages}) for every grain,
        without the rows that add nothing."""
        result = []
        for per_day, add in ((self.counts, _add_values), (self.durations, _add_number)):
            rows = {}
            firsts = {}
            for (day, *rest), value in per_day.items():
                grains = firsts.get(day)
                if grains is None:
                    grains = firsts[day] = grain_days(day)
                rest = tuple(rest)
                for grain_day in grains:
                    key = grain_day + rest
                    rows[key] = add(rows.get(key), value)
            result.append({key: value for key, value in rows.items()
                           if (any(value) if isinstance(value, list) else value)})
        return tuple(result)

    def tuples(self, day=lambda day: day):
        """(count rows, duration rows) as tuples in the order of the keys and values,
        in key order (the tables' own: appending is the cheapest insert); `day`
        converts the day."""
        counts, durations = self.grained()
        return ([(grain, day(first), *rest, *values)
                 for (grain, first, *rest), values in sorted(counts.items())],
                [(grain, day(first), *rest, n)
                 for (grain, first, *rest), n in sorted(durations.items())])

    def rows(self):
        """(count rows, duration rows) as dicts, in key order (concurrent moves then
        lock rows in one order: no deadlock)."""
        counts, durations = self.grained()
        return ([dict(zip(COUNT_KEY + COUNT_VALUES, (*key, *values), strict=True))
                 for key, values in sorted(counts.items())],
                [dict(zip(DURATION_KEY + DURATION_VALUES, (*key, n), strict=True))
                 for key, n in sorted(durations.items())])


def _add_values(total, values):
    return list(values) if total is None else [a + b for a, b in zip(total, values,
                                                                     strict=True)]


def _add_number(total, number):
    return number if total is None else total + number


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
               for model in (CountAggregate, DurationAggregate))


def write_tally(connection, tally, bulk=False):
    """Add a tally to the tables (rows are created as needed); `bulk`: the tables are
    empty, insert the rows the fastest way."""
    if bulk:
        sqlite_form = connection.dialect.name == "sqlite"
        counts, durations = tally.tuples(date.isoformat if sqlite_form else (lambda d: d))
        insert_rows(connection, CountAggregate.__table__, counts, COUNT_KEY + COUNT_VALUES)
        insert_rows(connection, DurationAggregate.__table__, durations,
                    DURATION_KEY + DURATION_VALUES)
        return
    counts, durations = tally.rows()
    if counts:
        _upsert(connection, CountAggregate, COUNT_KEY, COUNT_VALUES, counts)
    if durations:
        _upsert(connection, DurationAggregate, DURATION_KEY, DURATION_VALUES, durations)

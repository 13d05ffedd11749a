"""What one message adds to the daily aggregates (app/services/aggregates.py): `Tally`.

A message given as its FIELDS (and its rating's stars) contributes, under the local
(WITA) day of its submission:
- to the counts (OPD, category, status): itself; its stars when rated; whether it was
  resolved with an OPD and then reopened (the reopen table); whether it was appealed;
- to the durations, for a forwarded message with an OPD not finished for want of the
  sender's answer (`auto_closed`): milestones 1-3, the bucket of the time from
  submission to forwarding, first response, resolution; milestones 4-5, the working
  days from the latest forwarding to the OPD's first response and resolution (the
  on-time table's medians; the bucket is the number of days itself);
- to the clocks (the on-time table), per clock (1 first response, 2 resolution) of a
  message assigned to an OPD: on time, late, waiting for the sender, or still running
  with its due time. Whether a running clock is late depends on when the report is
  read, so its due time is part of the key and the reader compares it with "now".
"""

from collections import defaultdict
from datetime import datetime

from ..timeutil import local_day_bounds_utc, to_local

HOUR, DAY_SECONDS = 3600, 86400
HOURLY = 168  # buckets 0..167: whole hours of the first week
LAST_DAY = 365  # buckets 168..526: whole days 7..365
OVERFLOW = HOURLY + LAST_DAY - 7 + 1  # 527: a year or more
MILESTONES = ("forwarded_at", "first_response_at", "resolved_at")  # milestone 1, 2, 3
TO_FORWARD, TO_FIRST_RESPONSE, TO_RESOLUTION = 1, 2, 3  # time from submission
TO_RESPONSE_DAYS, TO_RESOLUTION_DAYS = 4, 5  # working days from forwarding
FIELDS = ("created_at", "opd_id", "category_id", "status", *MILESTONES, "auto_closed",
          "reopen_count", "appealed_at", "opd_from", "opd_response_at", "opd_resolved_at",
          "response_due_at", "resolution_due_at", "paused_at")
RESPONSE, RESOLUTION = 1, 2  # the clocks
ON_TIME, LATE, WAITING, RUNNING = 1, 2, 3, 4  # a clock's outcome
NO_DUE = datetime(1970, 1, 1)  # the key's due time of every outcome but RUNNING
COUNT_VALUES = ("messages", "ratings", "stars", "resolved", "reopened", "appealed")


def bucket_of(seconds):
    """The bucket of a duration in seconds (negative counts as 0)."""
    seconds = max(0, int(seconds))
    if seconds < HOURLY * HOUR:
        return seconds // HOUR
    days = seconds // DAY_SECONDS
    return HOURLY + days - 7 if days <= LAST_DAY else OVERFLOW


def outcome(done, due, waiting):
    """(outcome, due time of the key) of one clock, or None when it counts nowhere; as
    app/services/report_deadlines.py judges it."""
    if done is not None:
        if due is None:
            return None
        return (ON_TIME if done <= due else LATE), NO_DUE
    if waiting:
        return WAITING, NO_DUE
    return None if due is None else (RUNNING, due)


class LocalDays:
    """The local day of a UTC moment, cached: rows mostly come in date order."""

    def __init__(self):
        self._days = {}
        self._window = (None, None, None)  # [start, end) UTC of the last local day seen

    def of(self, moment):
        start, end, day = self._window
        if start is not None and start <= moment < end:
            return day
        # The local date cannot change within a quarter of an hour (every zone's
        # offset is a multiple of it), so one conversion serves each quarter.
        key = (moment.toordinal(), moment.hour, moment.minute // 15)
        window = self._days.get(key)
        if window is None:
            quarter = moment.replace(minute=key[2] * 15, second=0, microsecond=0)
            day = to_local(quarter).date()
            window = self._days[key] = (*local_day_bounds_utc(day, day), day)
        self._window = window
        return window[2]


class Tally:
    """Signed contributions, summed per aggregate row: what to add to the tables.

    Counted per local day; the month and year rows are summed from the days when the
    rows are taken (`grained`), which is far cheaper than three rows per message.
    `calendar`: the working-day calendar (loaded when first needed).
    """

    def __init__(self, calendar=None):
        self.counts = defaultdict(lambda: [0] * len(COUNT_VALUES))
        self.durations = defaultdict(int)  # (day, opd, milestone, bucket)
        self.clocks = defaultdict(int)  # (day, opd, clock, outcome, due)
        self.days = LocalDays()
        self._calendar = calendar
        self._working = {}

    @property
    def calendar(self):
        if self._calendar is None:
            from . import calendar

            self._calendar = calendar.load()
        return self._calendar

    def working_days(self, start, end):
        key = (self.days.of(start), self.days.of(end))
        days = self._working.get(key)
        if days is None:
            days = self._working[key] = self.calendar.working_days_between(*key)
        return days

    def local_day(self, moment):
        return self.days.of(moment)

    def add_state(self, state, sign=1):
        """Count a message given as its FIELDS followed by its stars (`sign=-1`: take
        it back out)."""
        (created, opd_id, category_id, status, forwarded, first_response, resolved,
         auto_closed, reopen_count, appealed_at, opd_from, opd_response, opd_resolved,
         response_due, resolution_due, paused_at, stars) = state
        day = self.days.of(created)
        opd = opd_id or 0
        row = self.counts[(day, opd, category_id or 0, str(status))]
        row[0] += sign
        if stars is not None:
            row[1] += sign
            row[2] += sign * stars
        if opd_id is not None and resolved is not None:
            row[3] += sign
            if reopen_count:
                row[4] += sign
        if appealed_at is not None:
            row[5] += sign
        if opd_id is None or auto_closed:
            return
        durations = self.durations
        if forwarded is not None:
            for number, moment in enumerate((forwarded, first_response, resolved), start=1):
                if moment is not None:
                    bucket = bucket_of((moment - created).total_seconds())
                    durations[(day, opd, number, bucket)] += sign
        if opd_from is None or response_due is None:
            return
        waiting = paused_at is not None
        for clock, done, due in ((RESPONSE, opd_response, response_due),
                                 (RESOLUTION, opd_resolved, resolution_due)):
            judged = outcome(done, due, waiting)
            if judged is not None:
                self.clocks[(day, opd, clock, *judged)] += sign
        if opd_response is not None:
            durations[(day, opd, TO_RESPONSE_DAYS,
                       self.working_days(opd_from, opd_response))] += sign
            if opd_resolved is not None:
                durations[(day, opd, TO_RESOLUTION_DAYS,
                           self.working_days(opd_from, opd_resolved))] += sign

    def grained(self, grain_days):
        """({(grain, first day, opd, category, status): [values]}, {(grain, first day,
        opd, milestone, bucket): n}, {(grain, first day, opd, clock, outcome, due): n})
        for every grain (`grain_days(day)`), without the rows that add nothing."""
        result = []
        for per_day, add in ((self.counts, _add_values), (self.durations, _add_number),
                             (self.clocks, _add_number)):
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


def _add_values(total, values):
    return list(values) if total is None else [a + b for a, b in zip(total, values,
                                                                     strict=True)]


def _add_number(total, number):
    return number if total is None else total + number

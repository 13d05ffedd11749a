"""The working-day calendar: Monday to Friday in the province's zone (WITA), minus
Indonesia's national holidays and joint leave days (cuti bersama), with the Admins'
changes ("Hari Libur").

The national days come from the `holidays` package (its Indonesian calendar: the
`public` category, and `government` for the joint leave days). A deadline of N working
days from a moment ends at 23:59:59 local time of the Nth working day after that
moment's local day; the starting day itself does not count.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays as holiday_data
from flask import current_app, g, has_request_context
from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from ..models import HolidayOverride
from ..timeutil import local_zone, to_local

CATEGORIES = ("public", "government")
END_OF_DAY = time(23, 59, 59)
# A calendar change recomputes the open messages' clocks: tasks.py registers how.
RECOMPUTE = "aspirasi.recompute_deadlines"


class CalendarError(ValueError):
    """A change of the calendar that cannot be made; `str()` says why."""


@lru_cache(maxsize=256)
def _national(year, language):
    days = holiday_data.country_holidays("ID", years=year, categories=CATEGORIES,
                                         language=language)
    return dict(days.items())


def display_language():
    """The `holidays` language of the current locale (names on the screens)."""
    locale = get_locale() if current_app else None
    return "en_US" if locale is not None and locale.language == "en" else "id"


def national_holidays(year, language="id"):
    """{day: name} of Indonesia's holidays and joint leave days in `year`."""
    return _national(year, language)


@dataclass(frozen=True)
class Day:
    """One day off (or cancelled day off) of a year, as the "Hari Libur" screen shows it."""

    day: date
    name: str
    source: str  # "national", "added" or "cancelled"

    @property
    def working(self):
        return self.source == "cancelled"


class WorkingCalendar:
    """The calendar with a fixed set of changes (build one per batch with `load()`)."""

    def __init__(self, overrides=(), zone=None):
        self._added = {o.day: o.name for o in overrides if not o.working}
        self._cancelled = {o.day: o.name for o in overrides if o.working}
        self._zone = zone
        self._after = {}  # (day, count) -> the count-th working day after day
        self._ends = {}  # day -> its end as naive UTC

    def is_working_day(self, day):
        if day.weekday() >= 5 or day in self._added:
            return False
        return day in self._cancelled or day not in _national(day.year, "id")

    def next_working_day(self, day):
        """The first working day after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day, count):
        """The `count`th working day after `day` (`day` itself never counts)."""
        key = (day, count)
        if key not in self._after:
            found = 0
            while found < count:
                day += timedelta(days=1)
                if self.is_working_day(day):
                    found += 1
            self._after[key] = day
        return self._after[key]

    def working_days_between(self, after, upto):
        """How many working days lie after day `after` up to and including `upto`."""
        count, day = 0, after
        while day < upto:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def working_days_back(self, day, count):
        """The `count`th working day counting back from `day` (itself included)."""
        found = 0
        while True:
            if self.is_working_day(day):
                found += 1
                if found >= count:
                    return day
            day -= timedelta(days=1)

    def local_day(self, moment):
        if self._zone is None:
            return to_local(moment).date()
        return moment.replace(tzinfo=UTC).astimezone(self._zone).date()

    def end_of(self, day):
        """The last second of local day `day`, as naive UTC."""
        if day not in self._ends:
            zone = self._zone or local_zone()
            self._ends[day] = (datetime.combine(day, END_OF_DAY, zone).astimezone(UTC)
                               .replace(tzinfo=None))
        return self._ends[day]

    def start_of(self, day):
        zone = self._zone or local_zone()
        return datetime.combine(day, time.min, zone).astimezone(UTC).replace(tzinfo=None)

    def due_at(self, moment, working_days):
        """The due time (naive UTC) of a limit of `working_days` counted from `moment`."""
        return self.end_of(self.add_working_days(self.local_day(moment), working_days))

    def days_off(self, year, language="id"):
        """The year's days off and cancelled days off, in date order."""
        days = {d: Day(d, name, "national") for d, name in _national(year, language).items()}
        for d, name in self._added.items():
            if d.year == year:
                days[d] = Day(d, name, "added")
        for d, name in self._cancelled.items():
            if d.year == year:
                days[d] = Day(d, name, "cancelled")
        return [days[d] for d in sorted(days)]


def load():
    """The calendar with the Admins' changes as they are now. Read without flushing:
    a move half done is written once, with one version bump."""
    with db.session.no_autoflush:
        return WorkingCalendar(db.session.scalars(select(HolidayOverride)).all(),
                               zone=local_zone())


def of_request():
    """The calendar as this request first read it: a page shows many dates and windows
    (lists a badge per row). Outside a request, as it is now."""
    if not has_request_context():
        return load()
    if "working_calendar" not in g:
        g.working_calendar = load()
    return g.working_calendar


def due_date(first, working_days):
    """The due date of `working_days` counted from local day `first` (the CLI's answer)."""
    return load().add_working_days(first, working_days)


# --- changing the calendar --------------------------------------------------------------

def _override(day):
    return db.session.scalar(select(HolidayOverride).where(HolidayOverride.day == day))


def add_day_off(day, name):
    """Make `day` a day off: a regional holiday or new joint leave day, or a national
    holiday that had been made a working day again."""
    name = (name or "").strip()
    existing = _override(day)
    if existing is not None and existing.working:
        db.session.delete(existing)
    elif existing is not None or day in _national(day.year, "id"):
        raise CalendarError(f"{day.isoformat()} is already a day off.")
    else:
        if not name:
            raise CalendarError("A day off needs a name.")
        db.session.add(HolidayOverride(day=day, name=name[:150], working=False))
    db.session.commit()
    changed()


def make_working_day(day):
    """Make `day` a working day: remove an added day off, or cancel a national one."""
    existing = _override(day)
    national = _national(day.year, "id")
    if existing is not None and not existing.working:
        db.session.delete(existing)
    elif existing is None and day in national:
        db.session.add(HolidayOverride(day=day, name=national[day][:150], working=True))
    else:
        raise CalendarError(f"{day.isoformat()} is not a day off.")
    db.session.commit()
    changed()


def changed():
    """After a committed change: recompute the due times of open messages (a task when
    the app has a task queue, else here and now)."""
    queue = current_app.extensions.get(RECOMPUTE)
    if queue is not None:
        queue()
        return
    from .deadlines import recompute_open

    recompute_open()


def local_today():
    return datetime.now(UTC).astimezone(local_zone()).date()

"""Time: stored as naive UTC, shown in the province's zone (WITA by default)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow():
    """The current time as naive UTC, the form every timestamp column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_zone():
    return ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Makassar"))


def to_local(value):
    """A stored naive-UTC datetime as an aware datetime in the local zone."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(local_zone())


def local_day_bounds_utc(first: date, last: date):
    """The UTC instants [start, end) covering local days `first`..`last` inclusive."""
    zone = local_zone()
    start = datetime.combine(first, time.min, zone).astimezone(UTC).replace(tzinfo=None)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    return start, end.astimezone(UTC).replace(tzinfo=None)

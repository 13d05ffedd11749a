"""The report of a period, read from the daily aggregates only (app/services/aggregates.py).

One GROUP BY (opd_id, category_id, status) over the aggregate rows of the period's
whole years, months and days gives at most a few hundred rows, from which the type,
status, OPD, satisfaction, reopen and appeal figures are derived here; the speed table
and the on-time medians read the duration histograms the same way, the on-time counts
the clock outcomes (app/services/report_deadlines.py). No message row is read: the
cost follows the number of days and OPDs, not of messages.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Category, Opd, Status
from ..timeutil import local_day_bounds_utc, to_local, utcnow
from . import aggregates_read as aggregates
from .aggregates_tally import TO_FIRST_RESPONSE, TO_FORWARD, TO_RESOLUTION
from .report_voice import appeal_count, reopen_rows

RESOLVED = "resolved"
OPEN = "open"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

# The days a period may name. Far outside them a local day has no UTC instant
# (0001-01-01 WITA begins in the year 0) and the report would fail.
EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(9998, 12, 30)


@dataclass(frozen=True)
class Period:
    """Local (WITA) days `first`..`last` inclusive; both None means all time."""

    first: date | None = None
    last: date | None = None

    @property
    def all_time(self):
        return self.first is None and self.last is None

    def utc_bounds(self):
        """[start, end) in naive UTC, or (None, None) for all time. Days beyond the
        range a timestamp can hold in any zone count as its ends (no message is there)."""
        if self.all_time:
            return None, None
        first = min(max(self.first or EARLIEST_DAY, EARLIEST_DAY), LATEST_DAY)
        last = min(max(self.last or LATEST_DAY, EARLIEST_DAY), LATEST_DAY)
        return local_day_bounds_utc(first, last)

    def within_bounds(self):
        """Whether every day the period names lies in EARLIEST_DAY..LATEST_DAY."""
        return all(EARLIEST_DAY <= day <= LATEST_DAY
                   for day in (self.first, self.last) if day is not None)

    @classmethod
    def this_month(cls, today=None):
        today = today or local_today()
        start = today.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return cls(start, following - timedelta(days=1))

    @classmethod
    def this_year(cls, today=None):
        today = today or local_today()
        return cls(date(today.year, 1, 1), date(today.year, 12, 31))


def local_today():
    return to_local(utcnow()).date()


@dataclass
class Row:
    """One line of a breakdown: a name, a count and its share in whole percent."""

    key: str
    name: str
    count: int
    percent: int = 0

    def as_dict(self):
        return {"name": self.name, "count": self.count, "percent": self.percent}


@dataclass
class SatisfactionRow:
    name: str
    ratings: int
    average: float | None


@dataclass
class SpeedRow:
    """Median seconds from submission to each milestone (None: no message got there)."""

    name: str
    to_forward: float | None
    to_first_response: float | None
    to_resolution: float | None


@dataclass
class Report:
    period: Period
    opd_ids: frozenset | None  # None: every OPD
    opd_name: str | None
    total: int
    by_type: list[Row]
    by_status: list[Row]
    by_opd: list[Row]
    satisfaction: list[SatisfactionRow] = field(default_factory=list)
    speed: list[SpeedRow] = field(default_factory=list)
    on_time: list = field(default_factory=list)  # report_deadlines.OnTimeRow
    reopened: list = field(default_factory=list)  # report_voice.ReopenRow per OPD
    appeals: int = 0

    def status_count(self, key):
        return next((row.count for row in self.by_status if row.key == key), 0)


def largest_remainder(counts):
    """Whole percents of `counts` that add up to exactly 100 (0s when all are 0).

    Each share is rounded down, then the points still missing go to the largest
    remainders; ties go to the earlier row, so ranked tables favour the bigger one.
    """
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    exact = [count * 100 / total for count in counts]
    result = [int(count * 100 // total) for count in counts]
    missing = 100 - sum(result)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - result[i]), i))
    for i in by_remainder[:missing]:
        result[i] += 1
    return result


def _with_percents(rows):
    for row, percent in zip(rows, largest_remainder([r.count for r in rows]), strict=True):
        row.percent = percent
    return rows


def _days(period):
    """The period as (first, last) local days for the aggregates; None for all time."""
    if period.all_time:
        return None
    first = min(max(period.first or EARLIEST_DAY, EARLIEST_DAY), LATEST_DAY)
    last = min(max(period.last or LATEST_DAY, EARLIEST_DAY), LATEST_DAY)
    return first, last


def build_report(period=None, opd_ids=None, *, details=True):
    """The report of `period` (default: all time), restricted to some OPDs when given:
    `opd_ids` is a scope of `app.policy` (None: every OPD; an empty set: none).

    `details=False` skips the satisfaction and speed tables (public statistics).
    """
    period = period or Period()
    # (opd_id, category_id, status, messages, ratings, stars) from the daily aggregates
    # (opd_id, category_id, status, messages, ratings, stars, resolved, reopened, appealed)
    rows = aggregates.counts(_days(period), opd_ids)
    counts = [row[:4] for row in rows]
    opd_names = dict(db.session.execute(select(Opd.id, Opd.name)).all())
    categories = db.session.execute(
        select(Category.id, Category.code, Category.name).order_by(Category.id)
    ).all()

    total = sum(c for *_, c in counts)
    report = Report(
        period=period,
        opd_ids=opd_ids,
        opd_name=", ".join(sorted(opd_names[i] for i in opd_ids if i in opd_names)) or None
        if opd_ids is not None else None,
        total=total,
        by_type=_with_percents(_type_rows(counts, categories)),
        by_status=_with_percents(_status_rows(counts)),
        by_opd=_with_percents(_opd_rows(counts, opd_names)),
    )
    if details:
        report.satisfaction = _satisfaction(rows, opd_names)
        histograms = aggregates.durations(_days(period), opd_ids)
        report.speed = _speed(histograms, opd_names)
        from .report_deadlines import on_time_rows

        report.on_time = on_time_rows(aggregates.clocks(_days(period), opd_ids), histograms,
                                      opd_names)
        report.reopened = reopen_rows(rows, opd_names)
        report.appeals = appeal_count(rows)
    return report


def _type_rows(counts, categories):
    per_category = {}
    for _opd, category_id, _status, count in counts:
        per_category[category_id] = per_category.get(category_id, 0) + count
    # Aspirasi and Pengaduan always show, even at 0; unclassified only when present.
    rows = [Row(code, name, per_category.get(cid, 0)) for cid, code, name in categories]
    known = {cid for cid, _code, _name in categories}
    unclassified = sum(c for cid, c in per_category.items() if cid not in known)
    if unclassified:
        rows.append(Row("unclassified", _("Not yet classified"), unclassified))
    return rows


def status_group(status):
    """Selesai; Sedang ditangani (every open status, `menunggu` too); Ditolak; Dibatalkan."""
    return {Status.SELESAI: RESOLVED, Status.DITOLAK: REJECTED,
            Status.DIBATALKAN: WITHDRAWN}.get(status, OPEN)


STATUS_GROUP_LABELS = {
    RESOLVED: _l("Resolved"),
    OPEN: _l("Being handled"),
    REJECTED: _l("Rejected"),
    WITHDRAWN: _l("Withdrawn by the sender"),
}


def _status_rows(counts):
    per_group = dict.fromkeys(STATUS_GROUP_LABELS, 0)
    for _opd, _category, status, count in counts:
        per_group[status_group(status)] += count
    # Resolved and being handled always show; rejected and withdrawn when present.
    return [Row(key, str(label), per_group[key]) for key, label in STATUS_GROUP_LABELS.items()
            if key in (RESOLVED, OPEN) or per_group[key]]


def _opd_rows(counts, opd_names):
    per_opd = {}
    for opd_id, _category, _status, count in counts:
        per_opd[opd_id] = per_opd.get(opd_id, 0) + count
    unassigned = per_opd.pop(None, 0)
    # Ranked by count; equal counts keep the OPDs' own order (their ids).
    ranked = sorted(per_opd.items(), key=lambda item: (-item[1], item[0]))
    rows = [Row(f"opd-{oid}", opd_names.get(oid, f"#{oid}"), count) for oid, count in ranked]
    if unassigned:
        rows.append(Row("unassigned", _("Not yet forwarded to an OPD"), unassigned))
    return rows


def _satisfaction(rows, opd_names):
    per_opd = {}
    for opd_id, _category, _status, _n, ratings, stars, *_rest in rows:
        if opd_id is not None and ratings:
            given, total = per_opd.get(opd_id, (0, 0))
            per_opd[opd_id] = (given + ratings, total + stars)
    result = [SatisfactionRow(opd_names.get(oid, f"#{oid}"), n, total / n)
              for oid, (n, total) in per_opd.items()]
    return sorted(result, key=lambda r: (-r.ratings, r.name))


def _speed(histograms, opd_names):
    """Per OPD with forwarded messages, the medians read from the duration histograms
    (within the resolution stated in app/services/aggregates.py)."""
    rows = []
    since_submission = (TO_FORWARD, TO_FIRST_RESPONSE, TO_RESOLUTION)
    for opd_id in sorted({oid for oid, milestone in histograms
                          if milestone in since_submission}):
        medians = [aggregates.median_seconds(histograms.get((opd_id, milestone), {}))
                   for milestone in since_submission]
        rows.append(SpeedRow(opd_names.get(opd_id, f"#{opd_id}"),
                             *(round(v) if v is not None else None for v in medians)))
    return sorted(rows, key=lambda r: r.name)


def median_seconds_to_resolution(period):
    """The median time from submission to resolution of the period's resolved
    messages, over every OPD; None when none is resolved."""
    histograms = aggregates.durations(_days(period), None)
    return aggregates.median_seconds(aggregates.merged(
        histogram for (_opd, milestone), histogram in histograms.items()
        if milestone == TO_RESOLUTION))

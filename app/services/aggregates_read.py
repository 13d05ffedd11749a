"""Reading the daily aggregates for a period of local days (the report's only source).

A period is covered by its whole years, then its whole months, then its single days
(`spans`); the rows of those grains are summed by one GROUP BY per table.
"""

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import ClockAggregate, CountAggregate, DurationAggregate
from ..models.aggregate import DAY, MONTH, YEAR
from .aggregates import COUNT_VALUES, bucket_seconds


def _next_month(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def spans(first, last):
    """(grain, first key, last key) ranges whose rows cover local days first..last
    exactly: whole years, then whole months, then single days."""
    result = []

    def cover(first, last, grain, start_of, after):
        """Whole `grain` blocks inside first..last, and the days left at both ends."""
        begin = first if start_of(first) == first else after(first)
        end = start_of(last + timedelta(days=1))  # blocks start before this
        if begin >= end:
            return [(first, last)]
        result.append((grain, begin, end - timedelta(days=1)))
        edges = []
        if first < begin:
            edges.append((first, begin - timedelta(days=1)))
        if end <= last:
            edges.append((end, last))
        return edges

    def year_start(day):
        return day.replace(month=1, day=1)

    def next_year(day):
        return date(day.year + 1, 1, 1)

    def month_start(day):
        return day.replace(day=1)

    for a, b in cover(first, last, YEAR, year_start, next_year):
        for c, d in cover(a, b, MONTH, month_start, _next_month):
            result.append((DAY, c, d))
    return result


def _where(model, period_days, opd_ids):
    if period_days is None:
        conditions = [model.grain == YEAR]
    else:
        parts = [(model.grain == grain) & model.day.between(a, b)
                 for grain, a, b in spans(*period_days)]
        conditions = [or_(*parts)]
    if opd_ids is not None:
        conditions.append(model.opd_id.in_(sorted(opd_ids)))
    return conditions


def counts(period_days, opd_ids):
    """(opd_id or None, category_id or None, status, messages, ratings, stars, resolved,
    reopened, appealed) of the local days `period_days` = (first, last), or all time
    (None)."""
    m = CountAggregate
    rows = db.session.execute(
        select(m.opd_id, m.category_id, m.status,
               *(func.sum(getattr(m, name)) for name in COUNT_VALUES))
        .where(*_where(m, period_days, opd_ids))
        .group_by(m.opd_id, m.category_id, m.status)
    ).all()
    return [(opd or None, category or None, status, *(int(v) for v in values))
            for opd, category, status, *values in rows if values[0]]


def clocks(period_days, opd_ids):
    """{(opd_id, clock, outcome, due_at): messages} of the period (aggregates_tally)."""
    m = ClockAggregate
    rows = db.session.execute(
        select(m.opd_id, m.clock, m.outcome, m.due_at, func.sum(m.messages))
        .where(*_where(m, period_days, opd_ids))
        .group_by(m.opd_id, m.clock, m.outcome, m.due_at)
    ).all()
    return {tuple(key): int(n) for *key, n in rows if n}


def durations(period_days, opd_ids):
    """{(opd_id, milestone): {bucket: messages}} of the period."""
    m = DurationAggregate
    rows = db.session.execute(
        select(m.opd_id, m.milestone, m.bucket, func.sum(m.messages))
        .where(*_where(m, period_days, opd_ids))
        .group_by(m.opd_id, m.milestone, m.bucket)
    ).all()
    result = defaultdict(dict)
    for opd, milestone, bucket, n in rows:
        if n:
            result[(opd, milestone)][bucket] = int(n)
    return result


def merged(histograms):
    """One {bucket: count} histogram of several (e.g. every OPD's)."""
    together = defaultdict(int)
    for histogram in histograms:
        for bucket, n in histogram.items():
            together[bucket] += n
    return dict(together)


def histogram_median(histogram, value=float):
    """The median of a {bucket: count} histogram as `value(bucket)` gives each bucket's
    value (None when empty): the mean of the two middle values when the count is even,
    as percentile_cont(0.5) and statistics.median."""
    total = sum(histogram.values())
    if total == 0:
        return None
    wanted = sorted({(total + 1) // 2, (total + 2) // 2})
    values, seen = [], 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        while wanted and wanted[0] <= seen:
            wanted.pop(0)
            values.append(value(bucket))
    return sum(values) / len(values)


def median_seconds(histogram):
    """The median of a histogram of duration buckets, in seconds (None when empty)."""
    return histogram_median(histogram, bucket_seconds)

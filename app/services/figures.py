"""This year's public figures for the home page, and a short-lived cache for them.

Counting a year of messages costs a GROUP BY and a median over the year's resolved
messages: fine once, too much for every visit of the home page at a million
messages. The figures are kept for `PUBLIC_FIGURES_TTL` seconds per process.
"""

import time
from dataclasses import dataclass

from flask import current_app

from .reports import RESOLVED, Period, build_report, median_seconds_to_resolution

_cache = {}


@dataclass(frozen=True)
class PublicFigures:
    year: int
    received: int
    resolved: int
    resolved_percent: int | None  # None when nothing was received
    median_days: float | None  # submission to resolution, calendar days


def cached(key, compute):
    """`compute()`, remembered under `key` for PUBLIC_FIGURES_TTL seconds (0: never)."""
    ttl = current_app.config["PUBLIC_FIGURES_TTL"]
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], *key)
    now = time.monotonic()
    hit = _cache.get(key)
    if ttl and hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = compute()
    if ttl:
        _cache[key] = (now, value)
    return value


def forget():
    _cache.clear()


def _compute(period):
    report = build_report(period, details=False)
    resolved = report.status_count(RESOLVED)
    seconds = median_seconds_to_resolution(period)
    return PublicFigures(
        year=period.first.year,
        received=report.total,
        resolved=resolved,
        resolved_percent=round(100 * resolved / report.total) if report.total else None,
        median_days=None if seconds is None else seconds / 86400,
    )


def public_figures(period=None):
    """Messages received this year (WITA), how many are resolved, and the median
    number of calendar days from submission to resolution."""
    period = period or Period.this_year()
    return cached(("figures", period), lambda: _compute(period))


def public_report(period=None):
    """The public statistics of `period` (default: this year), cached like the figures."""
    period = period or Period.this_year()
    return cached(("report", period), lambda: build_report(period, details=False))

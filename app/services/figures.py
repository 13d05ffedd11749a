"""This year's public figures for the home page, and a short-lived cache for them.

Counting a year of messages costs a GROUP BY and a median over the year's resolved
messages: fine once, too much for every visit of the home page at a million
messages. The figures are kept for `PUBLIC_FIGURES_TTL` seconds per process.
"""

import itertools
import time
from dataclasses import dataclass

from flask import current_app

from .reports import RESOLVED, Period, build_report, median_seconds_to_resolution

_cache = {}
_generations = itertools.count(1)


@dataclass(frozen=True)
class PublicFigures:
    year: int
    received: int
    resolved: int
    resolved_percent: int | None  # None when nothing was received
    median_days: float | None  # submission to resolution, calendar days


def _cached(name, period):
    """(value, generation) of `name`'s figures of `period`, remembered for
    PUBLIC_FIGURES_TTL seconds (0: never). The generation numbers each computation kept
    in this process (None when nothing is kept)."""
    ttl = current_app.config["PUBLIC_FIGURES_TTL"]
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], name, period)
    now = time.monotonic()
    hit = _cache.get(key)
    if ttl and hit is not None and now - hit[0] < ttl:
        return hit[1], hit[2]
    value = _COMPUTE[name](period)
    generation = None
    if ttl:
        generation = next(_generations)
        _cache[key] = (now, value, generation)
    return value, generation


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


def _public_report(period):
    return build_report(period, details=False)


_COMPUTE = {"figures": _compute, "report": _public_report}


def public_figures(period=None):
    """Messages received this year (WITA), how many are resolved, and the median
    number of calendar days from submission to resolution."""
    return _cached("figures", period or Period.this_year())[0]


def public_report(period=None):
    """The public statistics of `period` (default: this year), cached like the figures."""
    return _cached("report", period or Period.this_year())[0]


# Which computation of this year's figures (of its statistics) the pages show now: a
# page drawn from them is kept under it (app/views/kept_pages.py). None: not kept.

def figures_generation():
    return _generation("figures")


def report_generation():
    return _generation("report")


def _generation(name):
    generation = _cached(name, _this_year())[1]
    return None if generation is None else (name, generation)


_years = {}


def _this_year():
    """`Period.this_year()`, worked out once a minute per time zone (a local year
    begins at the start of a minute): asked on every view of a kept page."""
    zone = current_app.config.get("TIMEZONE")
    minute = int(time.time()) // 60
    known = _years.get(zone)
    if known is None or known[0] != minute:
        known = _years[zone] = (minute, Period.this_year())
    return known[1]

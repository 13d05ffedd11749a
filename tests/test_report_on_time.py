"""The report's on-time figures: equal to a direct count over the rows of a generated
data set; in the JSON, the exports and the summary; the demo still gives the seed's."""

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import Message, Opd
from app.services.generate import generate_messages
from app.services.report_export import as_json
from app.services.report_text import summary
from app.services.reports import build_report

from .factories import forward_to, make_message
from .support.reports import SEED_BY_OPD, load_seed_demo

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 20, 4, 0)  # a Friday, 12:00 WITA
DAYS_OFF = holidays.country_holidays("ID", years=range(2024, 2027),
                                     categories=("public", "government"))


def _working_days(start, end):
    """Working days after `start`'s WITA day up to and including `end`'s, counted
    independently of the app's calendar."""
    first, last = (value.replace(tzinfo=UTC).astimezone(WITA).date() for value in (start, end))
    days = (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in DAYS_OFF)


def _outcome(done, due):
    if done is not None:
        return "on_time" if done <= due else "late"
    return "late" if due < NOW else "pending"


def test_on_time_figures_equal_direct_counts_over_the_rows(app):
    """Per OPD and overall, do the first-response and resolution figures (on time, late,
    not yet due, percent, median working days) equal a count made over the rows?"""
    with time_machine.travel(NOW, tick=False), app.app_context():
        generate_messages(400, seed=7)
        forward_to(make_message(), "DISKOMINFO")  # forwarded today: not yet due
        rows = db.session.execute(select(
            Message.opd_id, Message.opd_from, Message.response_due_at,
            Message.opd_response_at, Message.resolution_due_at, Message.opd_resolved_at,
        ).where(Message.opd_id.is_not(None), Message.opd_from.is_not(None))).all()
        names = dict(db.session.execute(select(Opd.id, Opd.name)).all())
        report = build_report()
        exported = as_json(report)
        sentences = summary(report)
    expected = {}
    for row in rows:
        counts = expected.setdefault(names[row.opd_id], Counter())
        counts["response_" + _outcome(row.opd_response_at, row.response_due_at)] += 1
        counts["resolution_" + _outcome(row.opd_resolved_at, row.resolution_due_at)] += 1
    overall = sum(expected.values(), Counter())
    assert overall["response_late"] and overall["resolution_late"]  # a real mix
    assert overall["response_pending"] and overall["resolution_on_time"]
    by_name = {r.name: r for r in report.on_time if not r.overall}
    assert set(by_name) == set(expected)
    assert report.on_time[-1].overall
    for name, row in [*by_name.items(), (None, report.on_time[-1])]:
        counts = overall if name is None else expected[name]
        for field in ("response_on_time", "response_late", "response_pending",
                      "resolution_on_time", "resolution_late", "resolution_pending"):
            assert getattr(row, field) == counts[field], (name, field)
        answered = counts["response_on_time"] + counts["response_late"]
        assert row.response_percent == int(100 * counts["response_on_time"] / answered + 0.5)
        mine = [r for r in rows if name is None or names[r.opd_id] == name]
        responses = [_working_days(r.opd_from, r.opd_response_at) for r in mine
                     if r.opd_response_at]
        resolutions = [_working_days(r.opd_from, r.opd_resolved_at) for r in mine
                       if r.opd_resolved_at]
        assert row.median_days_to_response == statistics.median(responses)
        assert row.median_days_to_resolution == (
            statistics.median(resolutions) if resolutions else None)
    listed = {entry["name"]: entry for entry in exported["on_time"]}
    assert listed["Semua OPD"]["response_on_time"] == overall["response_on_time"]
    percent = report.on_time[-1].response_percent
    assert any(f"{percent}% ditanggapi tepat waktu" in s for s in sentences)


def test_demo_keeps_the_seed_figures_and_has_deadlines(app):
    """Does the demo still give the seed's OPD counts, with every forwarded message's
    first response judged against a deadline?"""
    with app.app_context():
        load_seed_demo()
        report = build_report()
    assert [(r.name, r.count, r.percent) for r in report.by_opd] == SEED_BY_OPD
    overall = report.on_time[-1]
    assert overall.response_on_time + overall.response_late + overall.response_pending == 42

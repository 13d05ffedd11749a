"""The report's figures: seed demo, generated data against direct counts, WITA days,
rounding."""

import statistics
from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Category, Message, Opd, Rating, Status
from app.services.generate import generate_messages
from app.services.reports import Period, build_report, largest_remainder

from .support.reports import (
    SEED_BY_OPD,
    SEED_BY_TYPE,
    SEED_STATUS_COUNTS,
    SEED_TOTAL,
    add_message,
    load_seed_demo,
)


@pytest.mark.parametrize("counts", [
    [18, 24], [38, 4], [14, 8, 6, 2, 2, 2, 2, 2, 1, 1, 1, 1], [1, 1, 1], [2, 1, 1, 1, 1, 1, 1],
    [999_999, 1], [7],
])
def test_largest_remainder_percents_add_up_to_100(counts):
    """Do the rounded percents of any table add up to exactly 100?"""
    percents = largest_remainder(counts)
    assert sum(percents) == 100
    assert all(abs(p - c * 100 / sum(counts)) < 1 for p, c in zip(percents, counts, strict=True))


def test_largest_remainder_of_an_empty_table_is_all_zero():
    """Does a period without messages give 0% everywhere instead of an error?"""
    assert largest_remainder([0, 0]) == [0, 0]


def test_demo_report_reproduces_the_seed_figures(app):
    """Does the demo data's report give the source document's counts and percents?"""
    with app.app_context():
        load_seed_demo()
        report = build_report()
        assert report.total == SEED_TOTAL
        assert [(r.name, r.count, r.percent) for r in report.by_type] == SEED_BY_TYPE
        assert [(r.count, r.percent) for r in report.by_status] == SEED_STATUS_COUNTS
        assert [(r.name, r.count, r.percent) for r in report.by_opd] == SEED_BY_OPD
        assert sum(r.ratings for r in report.satisfaction) > 0


def test_generated_report_equals_direct_counts_over_the_rows(app):
    """On random data, does every figure equal a count made directly over the rows?"""
    with app.app_context():
        generate_messages(400, seed=11)
        rows = db.session.execute(select(
            Message.id, Message.opd_id, Message.category_id, Message.status, Message.created_at,
            Message.forwarded_at, Message.first_response_at, Message.resolved_at,
            Message.appealed_at)).all()
        opd_names = dict(db.session.execute(select(Opd.id, Opd.name)).all())
        category_names = dict(db.session.execute(select(Category.id, Category.name)).all())
        stars = dict(db.session.execute(select(Rating.message_id, Rating.stars)).all())
        report = build_report()

    assert report.total == len(rows) == 400
    by_type = Counter(category_names.get(r.category_id) for r in rows)
    for row in report.by_type:
        key = row.name if row.key != "unclassified" else None
        assert row.count == by_type[key]
    groups = Counter("resolved" if r.status == Status.SELESAI else
                     "rejected" if r.status == Status.DITOLAK else
                     "withdrawn" if r.status == Status.DIBATALKAN else "open" for r in rows)
    # Generated data holds withdrawals and appeals too (issue 14), counted like the rest.
    assert groups["withdrawn"] > 0
    assert report.appeals == sum(r.appealed_at is not None for r in rows) > 0
    assert {row.key: row.count for row in report.by_status} == dict(groups)
    by_opd = Counter(r.opd_id for r in rows)
    expected_opd = {opd_names[k]: v for k, v in by_opd.items() if k is not None}
    assert {r.name: r.count for r in report.by_opd if r.key.startswith("opd-")} == expected_opd
    assert [r.count for r in report.by_opd if r.key.startswith("opd-")] == sorted(
        expected_opd.values(), reverse=True)
    for table in (report.by_type, report.by_status, report.by_opd):
        assert sum(r.percent for r in table) == 100

    for row in report.satisfaction:
        given = [stars[r.id] for r in rows if r.id in stars and opd_names[r.opd_id] == row.name]
        assert row.ratings == len(given)
        assert row.average == pytest.approx(statistics.mean(given))
    for row in report.speed:
        mine = [r for r in rows if r.opd_id and opd_names[r.opd_id] == row.name]
        for attribute, median in (("forwarded_at", row.to_forward),
                                  ("first_response_at", row.to_first_response),
                                  ("resolved_at", row.to_resolution)):
            seconds = [(getattr(r, attribute) - r.created_at).total_seconds() for r in mine
                       if getattr(r, attribute) is not None]
            if not seconds:
                assert median is None
                continue
            # Read from hour buckets under a week, day buckets beyond (aggregates.py).
            ordered = sorted(seconds)
            middle = ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]
            within = 3600 if max(middle) < 7 * 86400 else 86400
            assert median == pytest.approx(statistics.median(seconds), abs=within)


def test_generated_timelines_follow_the_status_machine(app):
    """Does every generated message end its timeline in its own status, rated only if done?"""
    from app.models import StatusChange

    with app.app_context():
        generate_messages(200, seed=5)
        last = dict(db.session.execute(
            select(StatusChange.message_id, StatusChange.to_status)
            .order_by(StatusChange.message_id, StatusChange.id)).all())
        messages = db.session.execute(
            select(Message.id, Message.status, Message.resolution, Message.resolved_at)).all()
        rated = set(db.session.scalars(select(Rating.message_id)))
    for message in messages:
        assert last[message.id] == message.status
        done = message.status == Status.SELESAI
        assert bool(message.resolution) == done and (message.resolved_at is not None) == done
        if message.id in rated:
            assert done


def test_period_days_are_wita_days(app):
    """Is 23:30 WITA on the last day inside the period and 00:30 WITA next day outside?"""
    with app.app_context():
        # WITA is UTC+8: 31 Jan 23:30 WITA = 31 Jan 15:30 UTC; 1 Feb 00:30 WITA = 16:30 UTC.
        add_message(datetime(2026, 1, 31, 15, 30), opd="DLH")
        add_message(datetime(2026, 1, 31, 16, 30), opd="DISHUT")
        # 1 Jan 00:30 WITA is 31 Dec 16:30 UTC: inside January in WITA.
        add_message(datetime(2025, 12, 31, 16, 30), opd="BPBD")
        report = build_report(Period(date(2026, 1, 1), date(2026, 1, 31)))
        february = build_report(Period(date(2026, 2, 1), date(2026, 2, 28)))
    assert report.total == 2
    assert {r.name for r in report.by_opd} == {"Dinas Lingkungan Hidup",
                                               "Badan Penanggulangan Bencana Daerah"}
    assert february.total == 1
    assert [r.name for r in february.by_opd] == ["Dinas Kehutanan"]


def test_rejected_row_appears_only_when_there_are_rejections(app):
    """Is "Ditolak" listed only for a period that has rejected messages?"""
    with app.app_context():
        add_message(datetime(2026, 3, 1, 3), status=Status.SELESAI)
        assert [r.key for r in build_report().by_status] == ["resolved", "open"]
        add_message(datetime(2026, 3, 2, 3), status=Status.DITOLAK, opd=None)
        report = build_report()
    assert [(r.key, r.count, r.percent) for r in report.by_status] == [
        ("resolved", 1, 50), ("open", 0, 0), ("rejected", 1, 50)]
    assert report.by_opd[-1].key == "unassigned"

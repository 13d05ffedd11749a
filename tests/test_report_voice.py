"""The report with the sender's voice: `menunggu` counts as being handled, withdrawn
messages have a row of their own, reopened resolutions per OPD, appeals, and messages
finished for want of an answer left out of the speed medians."""

from datetime import timedelta

import time_machine

from app import workflow
from app.services.report_text import summary
from app.services.reports import build_report

from .factories import forward_to, make_message, make_user


def test_status_table_and_voice_figures(db_session):
    """Does the report count `menunggu` as being handled, list withdrawn messages on their
    own row (and under "not yet classified/forwarded"), count reopened resolutions per OPD
    and the appeals?"""
    citizen = make_user("User")
    admin = make_user("Admin")
    operator = make_user("Operator", opd="DISKOMINFO")

    waiting = make_message(citizen)
    workflow.ask(admin, waiting, question="Alamat lengkap?")
    workflow.withdraw(citizen, make_message(citizen))
    rejected = make_message(citizen)
    workflow.reject(admin, rejected, reason="Duplikat")
    workflow.appeal(citizen, rejected, reason="Bukan duplikat")
    resolved = []
    for _n in range(4):
        message = make_message(citizen)
        forward_to(message, "DISKOMINFO", admin=admin)
        workflow.start(operator, message)
        workflow.resolve(operator, message, resolution="Beres")
        resolved.append(message)
    workflow.reopen(citizen, resolved[0], reason="Belum")
    workflow.resolve(operator, resolved[0], resolution="Beres lagi")

    report = build_report()
    assert report.total == 7
    assert [(r.key, r.count) for r in report.by_status] == [
        ("resolved", 4), ("open", 2), ("withdrawn", 1)]
    assert sum(r.percent for r in report.by_status) == 100
    assert {r.key: r.count for r in report.by_opd}["unassigned"] == 3
    assert {r.key: r.count for r in report.by_type}["unclassified"] == 3
    [row] = report.reopened
    assert (row.name, row.resolved, row.reopened, row.percent) == (
        "Dinas Komunikasi dan Informatika", 4, 1, 25)
    assert report.appeals == 1
    assert any("1" in sentence and "Super Admin" in sentence for sentence in summary(report))


def test_messages_closed_for_want_of_an_answer_stay_out_of_the_speed(db_session):
    """Is a message finished automatically left out of the speed medians?"""
    citizen = make_user("User")
    operator = make_user("Operator", opd="DLH")
    quick = make_message(citizen)
    forward_to(quick, "DLH")
    workflow.start(operator, quick)
    workflow.resolve(operator, quick, resolution="Beres")
    silent = make_message(citizen)
    with time_machine.travel(timedelta(days=2), tick=False):
        forward_to(silent, "DLH")  # two days to forwarding: it would weigh on the median
        workflow.ask(operator, silent, question="Foto?")
    with time_machine.travel(timedelta(days=28), tick=False):
        assert workflow.close_unanswered() == 1
    report = build_report()
    [speed] = report.speed
    # The quick message alone: its times lie in the aggregates' first hour bucket (the
    # silent one's two days would put the medians at a day).
    assert speed.to_forward < 3600
    assert speed.to_resolution < 3600
    # Nor is it in the deadlines kept: only the quick one's resolution is counted.
    overall = report.on_time[-1]
    assert overall.resolution_on_time + overall.resolution_late == 1


def test_demo_carries_answered_questions_and_reopenings_with_the_seeds_figures(db_session):
    """Does the demo hold answered questions and reopen-then-resolve histories, timelines
    that follow the status machine, and still the seed's figures exactly?"""
    from sqlalchemy import select

    from app.models import Message, StatusChange
    from app.services.demo import load_demo

    from .support.reports import SEED_BY_OPD, SEED_BY_TYPE, SEED_STATUS_COUNTS, SEED_TOTAL

    load_demo(password="Demo-rahasia-2026")
    report = build_report()
    assert report.total == SEED_TOTAL
    assert [(r.name, r.count, r.percent) for r in report.by_type] == SEED_BY_TYPE
    assert [(r.count, r.percent) for r in report.by_status] == SEED_STATUS_COUNTS
    assert [(r.name, r.count, r.percent) for r in report.by_opd] == SEED_BY_OPD
    kinds = db_session.scalars(select(StatusChange.kind)).all()
    assert (kinds.count("ask"), kinds.count("answer"), kinds.count("reopen")) == (4, 4, 2)
    assert sum(row.reopened for row in report.reopened) == 2
    for message in db_session.scalars(select(Message)):
        changes = message.changes
        assert changes[-1].to_status == message.status
        pairs = zip(changes[:-1], changes[1:], strict=True)
        assert all(a.to_status == b.from_status for a, b in pairs)
        assert [c.created_at for c in changes] == sorted(c.created_at for c in changes)
        if message.rating is not None:
            assert message.rating.created_at > changes[-1].created_at


def test_one_appeal_reads_in_the_singular(db_session):
    """Does the English summary of a report with one appeal say "1 rejection was
    appealed", not "1 rejections were appealed" (and the Indonesian one still count it)?"""
    from flask_babel import force_locale

    citizen = make_user("User")
    rejected = make_message(citizen)
    workflow.reject(make_user("Admin"), rejected, reason="Duplikat")
    workflow.appeal(citizen, rejected, reason="Bukan duplikat")
    report = build_report()
    with force_locale("en"):
        assert "1 rejection was appealed to the Super Admin." in summary(report)
    with force_locale("id"):
        assert any("1" in s and "banding" in s for s in summary(report))

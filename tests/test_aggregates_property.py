"""Property: whatever moves are made, by whom and when, the daily aggregates equal a
direct count over the rows (issue 15)."""

import functools
from collections import Counter
from datetime import datetime, timedelta
from unittest.mock import patch

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import workflow
from app.accounts import service as accounts
from app.accounts.service import find_opd
from app.extensions import db
from app.models import (
    Category,
    ClockAggregate,
    CountAggregate,
    DurationAggregate,
    Message,
    Rating,
)
from app.services import calendar
from app.services.aggregates import bucket_of
from app.services.aggregates_rebuild import differences
from app.timeutil import utcnow

from .factories import make_user

ACTIONS = ("submit", "forward", "forward_other", "escalate", "reject", "start", "progress",
           "note", "return", "resolve", "rate", "ask", "answer", "auto_close", "add_info",
           "reopen", "appeal", "withdraw")
WITA = timedelta(hours=8)  # Asia/Makassar: UTC+8 all year, no daylight saving

steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, 30), st.integers(0, 400)),
    min_size=1, max_size=25,
)


def _people():
    with patch.object(accounts, "hash_password", functools.cache(accounts.hash_password)):
        return {
            "admin": make_user("Admin"),
            "super": make_user("Super Admin"),
            "DLH": make_user("Operator", opd="DLH"),
            "BPBD": make_user("Operator", opd="BPBD"),
            "citizens": [make_user("User"), make_user("User")],
        }


def _act(people, messages, action, pick):
    """Make `action` on a message (picked by number) by an actor allowed to try it."""
    if action == "submit" or not messages:
        author = people["citizens"][pick % 2]
        messages.append(workflow.submit(author, title="Jalan rusak", body="Berlubang."))
        return
    message = messages[pick % len(messages)]
    db.session.refresh(message)
    operator = people.get(message.opd.short_name) if message.opd else people["DLH"]
    triage = people["super"] if message.status == "eskalasi" else people["admin"]
    category = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
    if action in ("forward", "forward_other"):
        opd = "DLH" if (action == "forward") == (pick % 2 == 0) else "BPBD"
        workflow.forward(triage, message, category=category,
                         subcategory=category.subcategories[0], opd=find_opd(opd))
    elif action == "escalate":
        workflow.escalate(people["admin"], message, reason="OPD belum jelas.")
    elif action == "reject":
        workflow.reject(triage, message, reason="Pesan ganda.")
    elif action == "start":
        workflow.start(operator, message)
    elif action in ("progress", "note"):
        workflow.progress(operator, message, note="Sedang ditinjau.",
                          public=action == "progress")
    elif action == "return":
        workflow.return_to_triage(operator, message, reason="Bukan kewenangan kami.")
    elif action == "resolve":
        workflow.resolve(operator, message, resolution="Sudah diperbaiki.")
    elif action == "ask":
        asker = {"baru": people["admin"], "eskalasi": people["super"]}.get(message.status,
                                                                            operator)
        workflow.ask(asker, message, question="Di mana tepatnya?")
    elif action == "answer":
        workflow.answer(message.author, message, text="Di samping kantor desa.")
    elif action == "auto_close":  # as the scheduled task does once the window is over
        workflow.close_unanswered(now=utcnow() + timedelta(days=30))
    elif action == "add_info":
        workflow.add_info(message.author, message, text="Ada fotonya juga.")
    elif action == "reopen":
        workflow.reopen(message.author, message, reason="Masih rusak.")
    elif action == "appeal":
        workflow.appeal(message.author, message, reason="Bukan pesan ganda.")
    elif action == "withdraw":
        workflow.withdraw(message.author, message)
    else:
        workflow.rate(message.author, message, stars=pick % 5 + 1)


def _working_days(cal, start, end):
    return cal.working_days_between((start + WITA).date(), (end + WITA).date())


def _clock_outcomes(m):
    """(clock, outcome, due time) of an assigned message's clocks, judged as the
    report did from the rows: 1 on time, 2 late, 3 waiting, 4 running (with its due)."""
    never = datetime(1970, 1, 1)
    for clock, done, due in ((1, m.opd_response_at, m.response_due_at),
                             (2, m.opd_resolved_at, m.resolution_due_at)):
        if done is not None and due is not None:
            yield clock, 1 if done <= due else 2, never
        elif done is None and m.paused_at is not None:
            yield clock, 3, never
        elif done is None and due is not None:
            yield clock, 4, due


def _direct_count():
    """Counts, duration buckets and clock outcomes per (grain, first day, ...) straight
    from the rows."""
    counts, durations, clocks = Counter(), Counter(), Counter()
    stars = dict(db.session.execute(select(Rating.message_id, Rating.stars)).all())
    cal = calendar.load()
    for m in db.session.scalars(select(Message)):
        day = (m.created_at + WITA).date()
        for grain, first in (("day", day), ("month", day.replace(day=1)),
                             ("year", day.replace(month=1, day=1))):
            key = (grain, first, m.opd_id or 0, m.category_id or 0, m.status)
            counts[key + ("messages",)] += 1
            if m.id in stars:
                counts[key + ("ratings",)] += 1
                counts[key + ("stars",)] += stars[m.id]
            if m.opd_id is not None and m.resolved_at is not None:
                counts[key + ("resolved",)] += 1
                counts[key + ("reopened",)] += m.reopen_count > 0
            counts[key + ("appealed",)] += m.appealed_at is not None
            if m.opd_id is None or m.auto_closed:
                continue
            if m.forwarded_at is not None:
                for number, moment in enumerate((m.forwarded_at, m.first_response_at,
                                                 m.resolved_at), start=1):
                    if moment is not None:
                        bucket = bucket_of((moment - m.created_at).total_seconds())
                        durations[(grain, first, m.opd_id, number, bucket)] += 1
            if m.opd_from is None or m.response_due_at is None:
                continue
            for clock, outcome, due in _clock_outcomes(m):
                clocks[(grain, first, m.opd_id, clock, outcome, due)] += 1
            if m.opd_response_at is not None:
                days = _working_days(cal, m.opd_from, m.opd_response_at)
                durations[(grain, first, m.opd_id, 4, days)] += 1
                if m.opd_resolved_at is not None:
                    days = _working_days(cal, m.opd_from, m.opd_resolved_at)
                    durations[(grain, first, m.opd_id, 5, days)] += 1
    return +counts, +durations, +clocks


def _stored():
    counts, durations, clocks = Counter(), Counter(), Counter()
    for row in db.session.scalars(select(CountAggregate)):
        key = (row.grain, row.day, row.opd_id, row.category_id, row.status)
        for name in ("messages", "ratings", "stars", "resolved", "reopened", "appealed"):
            counts[key + (name,)] += getattr(row, name)
    for row in db.session.scalars(select(DurationAggregate)):
        durations[(row.grain, row.day, row.opd_id, row.milestone, row.bucket)] += row.messages
    for row in db.session.scalars(select(ClockAggregate)):
        clocks[(row.grain, row.day, row.opd_id, row.clock, row.outcome, row.due_at)
               ] += row.messages
    return +counts, +durations, +clocks


def test_aggregates_equal_a_direct_count_after_any_moves(app):
    """After random moves by allowed actors across local midnights, do the aggregates
    (every grain) equal a count made directly over the rows?"""
    with app.app_context():
        people = _people()

        @settings(max_examples=80, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow])
        @given(steps=steps, start_minute=st.integers(0, 60 * 24))
        def run(steps, start_minute):
            # 15:00 UTC is 23:00 WITA on 31 December: moves soon cross a local midnight,
            # and with it a day, a month and a year.
            start = datetime(2025, 12, 31, 15, 0) + timedelta(minutes=start_minute)
            messages = []
            with time_machine.travel(start, tick=False) as clock:
                for action, pick, minutes in steps:
                    clock.shift(timedelta(minutes=minutes))
                    try:
                        _act(people, messages, action, pick)
                    except workflow.WorkflowError:
                        db.session.rollback()  # a refused move changes nothing
            assert _stored() == _direct_count()
            assert differences() == []

        run()

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
from app.models import Category, CountAggregate, DurationAggregate, Message, Rating
from app.services.aggregates import bucket_of
from app.services.aggregates_rebuild import differences

from .factories import make_user

ACTIONS = ("submit", "forward", "forward_other", "escalate", "reject", "start", "progress",
           "note", "return", "resolve", "rate")
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
    else:
        workflow.rate(message.author, message, stars=pick % 5 + 1)


def _direct_count():
    """Counts and duration buckets per (grain, first day, ...) straight from the rows."""
    counts, durations = Counter(), Counter()
    stars = dict(db.session.execute(select(Rating.message_id, Rating.stars)).all())
    for m in db.session.scalars(select(Message)):
        day = (m.created_at + WITA).date()
        for grain, first in (("day", day), ("month", day.replace(day=1)),
                             ("year", day.replace(month=1, day=1))):
            key = (grain, first, m.opd_id or 0, m.category_id or 0, m.status)
            counts[key + ("messages",)] += 1
            if m.id in stars:
                counts[key + ("ratings",)] += 1
                counts[key + ("stars",)] += stars[m.id]
            if m.opd_id is None or m.forwarded_at is None:
                continue
            for number, moment in enumerate((m.forwarded_at, m.first_response_at,
                                             m.resolved_at), start=1):
                if moment is not None:
                    bucket = bucket_of((moment - m.created_at).total_seconds())
                    durations[(grain, first, m.opd_id, number, bucket)] += 1
    return +counts, +durations


def _stored():
    counts, durations = Counter(), Counter()
    for row in db.session.scalars(select(CountAggregate)):
        key = (row.grain, row.day, row.opd_id, row.category_id, row.status)
        for name in ("messages", "ratings", "stars"):
            counts[key + (name,)] += getattr(row, name)
    for row in db.session.scalars(select(DurationAggregate)):
        durations[(row.grain, row.day, row.opd_id, row.milestone, row.bucket)] += row.messages
    return +counts, +durations


def test_aggregates_equal_a_direct_count_after_any_moves(app):
    """After random moves by allowed actors across local midnights, do the aggregates
    (every grain) equal a count made directly over the rows?"""
    with app.app_context():
        people = _people()

        @settings(max_examples=40, deadline=None, database=None,
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

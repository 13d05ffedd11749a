"""The clocks of a message: due times in working days, started, stopped and moved by
the workflow's moves, the service levels, and pauses while the citizen is asked."""

from datetime import date, datetime

import time_machine
from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models import Category, ServiceLevel
from app.services import deadlines
from app.timeutil import to_local

from .factories import forward_to, make_message, make_user

# Friday 14 August 2026, 10:00 WITA (02:00 UTC): Monday 17 August is Independence Day,
# Tuesday 25 August the Prophet's Birthday.
FRIDAY = datetime(2026, 8, 14, 2, 0)


def _due_day(value):
    return to_local(value).date()


def _at(moment):
    return time_machine.travel(moment, tick=False)


def test_triage_clock_runs_from_submission(db_session):
    """Is a new message due for triage at 23:59:59 WITA of the 3rd working day after
    its local day (Independence Day skipped)?"""
    with _at(FRIDAY):
        message = make_message()
    assert message.due_clock == "triage"
    due = to_local(message.due_at)
    assert (due.date(), due.hour, due.minute) == (date(2026, 8, 20), 23, 59)


def test_forwarding_starts_response_and_resolution_clocks(db_session):
    """After forwarding, is the OPD due to respond in 5 and resolve in 14 working days;
    does its start stop the response clock and the resolution stop every clock?"""
    with _at(FRIDAY):
        message = make_message()
        forward_to(message, "DISKOMINFO")
    assert message.due_clock == "response"
    assert _due_day(message.response_due_at) == date(2026, 8, 24)
    assert _due_day(message.resolution_due_at) == date(2026, 9, 7)
    operator = make_user("Operator", opd="DISKOMINFO")
    with _at(datetime(2026, 8, 18, 2, 0)):
        workflow.start(operator, message)
    assert message.due_clock == "resolution"
    assert _due_day(message.due_at) == date(2026, 9, 7)
    assert message.opd_response_at == datetime(2026, 8, 18, 2, 0)
    workflow.resolve(operator, message, resolution="Selesai.")
    assert message.due_at is None and message.due_clock is None
    # The stopped clock's due time stays for the report.
    assert _due_day(message.response_due_at) == date(2026, 8, 24)


def test_an_internal_note_is_not_a_response(db_session):
    """Does an internal note leave the response clock running, and a public update
    (after starting) stop it?"""
    with _at(FRIDAY):
        message = make_message()
        forward_to(message, "DISKOMINFO")
    operator = make_user("Operator", opd="DISKOMINFO")
    workflow.progress(operator, message, note="Catatan internal.", public=False)
    assert message.due_clock == "response" and message.opd_response_at is None


def test_return_restarts_triage_and_the_next_forward_starts_afresh(db_session):
    """Does a return end the OPD's clocks (not a response) and start triage again, and
    the next forwarding start the OPD's clocks from its own moment?"""
    with _at(FRIDAY):
        message = make_message()
        forward_to(message, "DISKOMINFO")
    operator = make_user("Operator", opd="DISKOMINFO")
    with _at(datetime(2026, 8, 19, 2, 0)):
        workflow.return_to_triage(operator, message, reason="Bukan kewenangan kami.")
    assert message.due_clock == "triage" and message.opd_response_at is None
    assert _due_day(message.due_at) == date(2026, 8, 24)
    with _at(datetime(2026, 8, 20, 2, 0)):
        forward_to(message, "DLH")
    assert message.due_clock == "response"
    assert _due_day(message.due_at) == date(2026, 8, 28)


def test_timeline_says_where_the_opd_clocks_start_and_end(app):
    """Does the staff timeline say that the OPD's deadlines count from each forwarding
    and that a return ends them?"""
    from .support.web import signed_in

    with app.app_context():
        make_user("Admin", email="admin@example.test")
        operator = make_user("Operator", opd="DISKOMINFO")
        message = make_message()
        forward_to(message, "DISKOMINFO")
        workflow.return_to_triage(operator, message, reason="Bukan kami.")
        message_id = message.id
    page = signed_in(app, "admin@example.test").get(f"/triase/show/{message_id}")
    text = page.get_data(as_text=True)
    assert "dihitung dari penerusan ini" in text
    assert "Bukan tanggapan: penugasan OPD ini dan batas waktunya berakhir" in text


def test_rejection_stops_the_clock(db_session):
    """Does a rejected message have no due time any more?"""
    message = make_message()
    workflow.reject(make_user("Admin"), message, reason="Spam.")
    assert message.due_at is None and message.due_clock is None


def test_service_levels_per_category_and_subcategory(db_session):
    """Does a subcategory's level override its category's, which overrides the default,
    and does a change apply only to stages that start after it?"""
    pengaduan = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
    first_sub = pengaduan.subcategories[0]
    db.session.add(ServiceLevel(category_id=pengaduan.id, triage_days=3, response_days=2,
                                resolution_days=7))
    db.session.commit()
    with _at(FRIDAY):
        earlier = make_message()
        forward_to(earlier, "DISKOMINFO")
    assert _due_day(earlier.response_due_at) == date(2026, 8, 19)
    assert _due_day(earlier.resolution_due_at) == date(2026, 8, 27)
    db.session.add(ServiceLevel(category_id=pengaduan.id, subcategory_id=first_sub.id,
                                triage_days=3, response_days=1, resolution_days=3))
    db.session.commit()
    with _at(FRIDAY):
        later = make_message()
        forward_to(later, "DISKOMINFO")
    assert _due_day(later.response_due_at) == date(2026, 8, 18)
    assert deadlines.levels_for(pengaduan.id, first_sub.id).resolution == 3
    db.session.refresh(earlier)
    assert _due_day(earlier.response_due_at) == date(2026, 8, 19)


def test_pause_and_resume_move_the_clock(db_session):
    """While the stage waits for the citizen is there no due time, and on resume does
    the clock move by the working days waited (0 the same day), the total kept?"""
    with _at(FRIDAY):
        message = make_message()
        forward_to(message, "DISKOMINFO")
    deadlines.pause(message, datetime(2026, 8, 18, 2, 0))  # Tuesday
    assert message.due_at is None and message.due_clock == "response"
    waited = deadlines.resume(message, datetime(2026, 8, 20, 5, 0))  # Thursday
    assert waited == 2 and message.paused_days == 2
    assert _due_day(message.due_at) == date(2026, 8, 27)
    deadlines.pause(message, datetime(2026, 8, 21, 1, 0))
    assert deadlines.resume(message, datetime(2026, 8, 21, 9, 0)) == 0
    assert message.paused_days == 2 and _due_day(message.due_at) == date(2026, 8, 27)

"""The working-day calendar: Indonesia's holidays and joint leave days, the Admins'
changes, and deadlines counted in working days (WITA)."""

from datetime import date, datetime

import pytest
import time_machine

from app.services import calendar
from app.timeutil import to_local

from .factories import make_user


@pytest.mark.parametrize(("first", "days", "due"), [
    # 17 August, Independence Day, does not count.
    ("2026-08-14", 3, "2026-08-20"),
    # Christmas Day and its joint leave day (24 December) do not count.
    ("2026-12-23", 3, "2026-12-30"),
    # The Eid al-Fitr week of March 2026 (Nyepi too): 18-20, 23-24 March are off.
    ("2026-03-17", 5, "2026-03-31"),
    # A plain week: Monday + 3 → Thursday; the starting day never counts.
    ("2026-09-07", 3, "2026-09-10"),
])
def test_due_dates_skip_weekends_holidays_and_joint_leave(db_session, first, days, due):
    """Does N working days from a day land where Indonesia's calendar says?"""
    assert calendar.due_date(date.fromisoformat(first), days) == date.fromisoformat(due)


def test_deadline_command_prints_the_due_date(runner):
    """Does `aspirasi deadline` print 2026-08-20 for 3 working days from 2026-08-14?"""
    result = runner.invoke(args=["aspirasi", "deadline", "--from", "2026-08-14",
                                 "--working-days", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-08-20"


def test_deadline_command_refuses_a_bad_date(runner):
    """Is a date that is not YYYY-MM-DD refused in one line?"""
    result = runner.invoke(args=["aspirasi", "deadline", "--from", "14-08-2026",
                                 "--working-days", "3"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_an_added_day_off_moves_due_dates(runner, db_session):
    """Does a regional holiday added with `holiday add` stop counting as a working day,
    and show in `holiday list`?"""
    result = runner.invoke(args=["aspirasi", "holiday", "add", "2026-09-09", "Hari Jadi"])
    assert result.exit_code == 0, result.output
    assert calendar.due_date(date(2026, 9, 7), 3) == date(2026, 9, 11)
    listed = runner.invoke(args=["aspirasi", "holiday", "list", "--year", "2026"]).output
    assert "2026-09-09  Hari Jadi  (added)" in listed
    assert "2026-08-17" in listed


def test_a_removed_joint_leave_day_becomes_a_working_day(runner, db_session):
    """Does `holiday remove` of 24 December (joint leave) make it count again?"""
    result = runner.invoke(args=["aspirasi", "holiday", "remove", "2026-12-24"])
    assert result.exit_code == 0, result.output
    assert calendar.due_date(date(2026, 12, 23), 3) == date(2026, 12, 29)
    # Removing an added day off restores the plain calendar; a working day cannot go.
    runner.invoke(args=["aspirasi", "holiday", "add", "2026-12-24", "x"])
    assert calendar.due_date(date(2026, 12, 23), 3) == date(2026, 12, 30)
    refused = runner.invoke(args=["aspirasi", "holiday", "remove", "2026-12-22"])
    assert refused.exit_code != 0 and "not a day off" in refused.output


def test_friday_night_counts_from_friday(db_session):
    """Is a message sent at 23:30 WITA on a Friday counted from that Friday (its local
    day), due at 23:59:59 WITA of the 3rd working day after it?"""
    cal = calendar.load()
    friday_night = datetime(2026, 9, 11, 15, 30)  # 23:30 WITA
    due = to_local(cal.due_at(friday_night, 3))
    assert (due.date(), due.hour, due.minute, due.second) == (date(2026, 9, 16), 23, 59, 59)
    # Half an hour later it is Saturday in WITA: Monday is still the first working day.
    saturday = to_local(cal.due_at(datetime(2026, 9, 11, 16, 30), 3))
    assert saturday.date() == date(2026, 9, 16)


def test_days_off_screen_lists_the_year_and_admins_may_change_it(app, client, auth):
    """Does an Admin see the year's holidays on "Hari Libur", and can they add a day
    off there that the calendar then skips?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
    auth.login("admin@example.test")
    page = client.get("/holidayview/list/?tahun=2026")
    assert page.status_code == 200
    assert "Hari Kemerdekaan Republik Indonesia" in page.text
    assert "Cuti Bersama Hari Raya Natal" in page.text
    answer = client.post("/holidayview/add", data={"day": "2026-09-09", "name": "Hari Jadi"})
    assert answer.status_code == 302
    with app.app_context():
        assert calendar.due_date(date(2026, 9, 7), 3) == date(2026, 9, 11)
    refused = client.post("/holidayview/add", data={"day": "2026-08-17", "name": "Dobel"})
    assert refused.status_code == 400


def test_calendar_change_recomputes_open_messages(app, runner):
    """When a day off is added, do the due times of open messages move with it?"""
    from .factories import make_message

    with time_machine.travel(datetime(2026, 9, 7, 2, 0), tick=False), app.app_context():
        message = make_message()
        message_id = message.id
        assert to_local(message.due_at).date() == date(2026, 9, 10)
        runner.invoke(args=["aspirasi", "holiday", "add", "2026-09-08", "Libur daerah"])
        from app.extensions import db
        from app.models import Message

        db.session.expire_all()
        assert to_local(db.session.get(Message, message_id).due_at).date() == date(2026, 9, 11)

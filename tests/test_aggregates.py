"""The daily aggregates: kept up to date by every move, rebuilt and checked by command."""

from datetime import datetime, timedelta

import time_machine
from sqlalchemy import update

from app import workflow
from app.extensions import db
from app.models import CountAggregate, Message
from app.services.aggregates import bucket_of, bucket_seconds
from app.services.aggregates_read import median_seconds, spans
from app.services.aggregates_rebuild import differences, rebuild
from app.services.demo import load_demo
from app.services.generate import generate_messages

from .factories import forward_to, make_message, make_user


def test_moves_keep_the_aggregates_equal_to_the_rows(app):
    """After submit, forward, start, resolve and a rating, do the aggregates agree?"""
    with app.app_context():
        with time_machine.travel(datetime(2026, 3, 1, 15, 50), tick=False) as clock:
            message = make_message()
            clock.shift(timedelta(minutes=30))  # past local midnight (WITA = UTC+8)
            forward_to(message, "DLH")
            operator = make_user("Operator", opd="DLH")
            clock.shift(timedelta(hours=5))
            workflow.start(operator, message)
            clock.shift(timedelta(days=9))
            workflow.resolve(operator, message, resolution="Selesai ditangani.")
            workflow.rate(message.author, message, stars=4)
        assert differences() == []
        assert db.session.query(CountAggregate).filter_by(grain="day", status="selesai") \
            .one().stars == 4


def test_check_finds_a_row_changed_behind_the_workflow_and_rebuild_mends_it(app):
    """Does `aggregates check` fail on a row changed directly, and pass after rebuild?"""
    with app.app_context():
        generate_messages(50, seed=3)
        assert differences() == []
        db.session.execute(update(Message).where(Message.status == "selesai")
                           .values(status="diproses"))
        db.session.commit()
        assert differences() != []
        rebuild()
        db.session.commit()
        assert differences() == []


def test_cli_check_exits_non_zero_on_a_difference(app, runner):
    """Does `flask aspirasi aggregates check` exit 1 on a difference and 0 after rebuild?"""
    with app.app_context():
        load_demo(password="Demo-Passw0rd-7")
        assert runner.invoke(args=["aspirasi", "aggregates", "check"]).exit_code == 0
        db.session.execute(update(Message).values(opd_id=None))
        db.session.commit()
    result = runner.invoke(args=["aspirasi", "aggregates", "check"])
    assert result.exit_code == 1
    assert "differ" in result.output
    assert runner.invoke(args=["aspirasi", "aggregates", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["aspirasi", "aggregates", "check"]).exit_code == 0


def test_buckets_keep_the_stated_resolution():
    """Is each bucket's value within 30 min under a week and 12 h up to a year?"""
    for seconds in range(0, 400 * 86400, 1777):
        error = abs(bucket_seconds(bucket_of(seconds)) - seconds)
        if seconds < 7 * 86400:
            assert error <= 1800
        elif seconds < 366 * 86400:
            assert error <= 43200
        else:
            assert bucket_seconds(bucket_of(seconds)) == 366 * 86400


def test_median_of_a_histogram_averages_the_two_middle_values():
    """Does an even count give the mean of its two middle buckets, as percentile_cont?"""
    assert median_seconds({}) is None
    assert median_seconds({1: 1}) == 5400
    assert median_seconds({1: 1, 3: 1}) == (5400 + 12600) / 2
    assert median_seconds({1: 2, 3: 1}) == 5400


def test_spans_cover_each_day_once():
    """Do the year, month and day ranges of a period cover exactly its days?"""
    from datetime import date

    from app.services.aggregates import grain_days

    for first, last in ((date(2024, 12, 30), date(2026, 3, 2)), (date(2025, 1, 1),
                        date(2025, 12, 31)), (date(2025, 3, 5), date(2025, 3, 9)),
                        (date(2025, 2, 1), date(2025, 3, 31))):
        covered = []
        day = first
        while day <= last:
            hits = [s for s in spans(first, last) for grain, key in grain_days(day)
                    if s[0] == grain and s[1] <= key <= s[2]]
            covered.append(len(hits))
            day += timedelta(days=1)
        assert covered == [1] * len(covered)


def test_generate_leaves_the_status_constraint_in_force(app):
    """After a bulk load (relaxed checks on SQLite during it), is a bad status refused?"""
    import pytest
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        generate_messages(20, seed=4)
        with pytest.raises(IntegrityError):
            db.session.execute(update(Message).values(status="hilang"))
            db.session.flush()
        db.session.rollback()


def test_generate_into_a_database_with_messages_adds_to_the_aggregates(app):
    """Does a second `generate` (indexes kept, upserts) leave the aggregates equal to the rows?"""
    with app.app_context():
        generate_messages(30, seed=1)
        generate_messages(30, seed=2)
        assert db.session.query(Message).count() == 60
        assert differences() == []


def test_the_report_is_read_from_the_aggregates(app):
    """Does the report count from the aggregates, so that a row changed behind the
    workflow's back shows only after `aggregates rebuild`?"""
    from app.services.reports import build_report

    with app.app_context():
        generate_messages(40, seed=8)
        before = build_report().total
        db.session.execute(update(Message).where(Message.status == "selesai")
                           .values(status="ditolak"))
        db.session.commit()
        assert build_report().total == before
        assert build_report().status_count("resolved") > 0
        rebuild()
        db.session.commit()
        assert build_report().status_count("resolved") == 0


def test_the_senders_moves_and_the_clocks_keep_the_aggregates_equal_to_the_rows(app):
    """After a question answered days later (the clocks resume after the move's entry),
    a reopening, an appeal, a withdrawal and a question left unanswered until the
    message is finished automatically, do the aggregates still agree with the rows?"""
    from app.services.reports import build_report

    with app.app_context():
        admin, operator = make_user("Admin"), make_user("Operator", opd="DLH")
        with time_machine.travel(datetime(2026, 3, 2, 1, 0), tick=False) as clock:
            answered, rejected, withdrawn, silent = (make_message() for _ in range(4))
            forward_to(answered, "DLH")
            forward_to(silent, "DLH")
            workflow.ask(operator, answered, question="Di mana tepatnya?")
            workflow.ask(operator, silent, question="Ada fotonya?")
            clock.shift(timedelta(days=3))
            workflow.answer(answered.author, answered, text="Di samping kantor desa.")
            workflow.start(operator, answered)
            workflow.resolve(operator, answered, resolution="Sudah diperbaiki.")
            workflow.reopen(answered.author, answered, reason="Masih rusak.")
            workflow.reject(admin, rejected, reason="Pesan ganda.")
            workflow.appeal(rejected.author, rejected, reason="Bukan pesan ganda.")
            workflow.withdraw(withdrawn.author, withdrawn)
            assert workflow.close_unanswered(now=datetime(2026, 4, 30)) == 1
            assert differences() == []
            report = build_report()
        assert report.appeals == 1
        assert [(r.resolved, r.reopened) for r in report.reopened] == [(1, 1)]
        assert report.status_count("withdrawn") == 1
        [dlh, overall] = report.on_time
        # The silent message, finished automatically, is left out; the answered one was
        # responded to (by the question) and resolved on time.
        assert (dlh.response_on_time, dlh.resolution_on_time) == (1, 1)
        assert overall.median_days_to_resolution == 3.0


def test_a_calendar_change_rebuilds_the_working_days_and_due_times(app):
    """A day off added inside a running clock moves its due time and the working days
    of a finished one: do the aggregates follow (they count both)?"""
    from app.services import calendar
    from app.services.reports import build_report

    with app.app_context():
        operator = make_user("Operator", opd="DLH")
        with time_machine.travel(datetime(2026, 3, 2, 1, 0), tick=False) as clock:
            done, running = make_message(), make_message()
            forward_to(done, "DLH")
            forward_to(running, "DLH")
            clock.shift(timedelta(days=3))  # Thursday: three working days later
            workflow.start(operator, done)
            workflow.resolve(operator, done, resolution="Sudah diperbaiki.")
            assert build_report().on_time[-1].median_days_to_resolution == 3.0
            calendar.add_day_off(datetime(2026, 3, 4).date(), "Libur daerah")
            assert differences() == []
            assert build_report().on_time[-1].median_days_to_resolution == 2.0

"""The sender's voice in the workflow: withdraw, add information, questions and answers,
the automatic finish, reopen and appeal; who may make each move and who may not."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models import Message, OutboxEmail
from app.services import calendar
from app.services.reports import build_report
from app.workflow import Refusal, WorkflowError

from .factories import forward_to, make_message, make_user


def _mail_to(email):
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == email)).all()


def _refused(move, *args, kind=None, **kwargs):
    with pytest.raises(WorkflowError) as refusal:
        move(*args, **kwargs)
    db.session.rollback()
    if kind is not None:
        assert refusal.value.kind == kind, refusal.value
    return refusal.value


@pytest.fixture
def people(db_session):
    class People:
        citizen = make_user("User", email="pelapor@example.test")
        stranger = make_user("User")
        admin = make_user("Admin", email="admin@example.test")
        boss = make_user("Super Admin", email="boss@example.test")
        operator = make_user("Operator", opd="DISKOMINFO", email="op@example.test")
        other_operator = make_user("Operator", opd="DLH")
    return People


def _in_progress(people):
    message = make_message(people.citizen)
    forward_to(message, "DISKOMINFO", admin=people.admin)
    workflow.start(people.operator, message)
    return message


def _resolved(people):
    message = _in_progress(people)
    workflow.resolve(people.operator, message, resolution="Sudah diperbaiki.")
    return message


# --- withdraw ---------------------------------------------------------------------------

def test_author_withdraws_a_new_message(people):
    """Does the author's withdrawal of a `baru` message make it `dibatalkan`, timeline kept?"""
    message = make_message(people.citizen)
    workflow.withdraw(people.citizen, message, reason="Sudah diperbaiki sendiri.")
    assert message.status == "dibatalkan"
    assert [c.kind for c in message.changes] == ["submit", "withdraw"]
    assert message.changes[-1].note == "Sudah diperbaiki sendiri."
    # Never forwarded afterwards.
    _refused(forward_to, message, kind=Refusal.WRONG_STATE)


def test_withdraw_is_for_the_author_and_only_while_new(people):
    """Are another citizen, an Admin, and the author after forwarding all refused?"""
    message = make_message(people.citizen)
    _refused(workflow.withdraw, people.stranger, message, kind=Refusal.FORBIDDEN)
    _refused(workflow.withdraw, people.admin, message, kind=Refusal.FORBIDDEN)
    forward_to(message, admin=people.admin)
    _refused(workflow.withdraw, people.citizen, message, kind=Refusal.WRONG_STATE)
    assert db.session.get(Message, message.id).status == "diteruskan"


# --- add information --------------------------------------------------------------------

def test_added_information_reaches_those_responsible_now(people):
    """Is added information on the timeline, told to the Admins while new and to the OPD's
    operators once forwarded (not to another OPD's)?"""
    message = make_message(people.citizen)
    workflow.add_info(people.citizen, message, text="Lokasinya di depan SD 5.")
    assert message.status == "baru" and message.changes[-1].kind == "add_info"
    assert any("Lokasinya di depan SD 5." in m.text_body for m in _mail_to("admin@example.test"))
    forward_to(message, admin=people.admin)
    workflow.add_info(people.citizen, message, text="Ada foto tambahan.")
    assert any("Ada foto tambahan." in m.text_body for m in _mail_to("op@example.test"))
    assert not any("Ada foto tambahan." in m.text_body for m in _mail_to(
        people.other_operator.email))


def test_information_only_by_the_author_on_an_open_message(people):
    """Are another citizen, an operator, and the author of a resolved message refused?"""
    message = _in_progress(people)
    _refused(workflow.add_info, people.stranger, message, text="x", kind=Refusal.FORBIDDEN)
    _refused(workflow.add_info, people.operator, message, text="x", kind=Refusal.FORBIDDEN)
    workflow.resolve(people.operator, message, resolution="Selesai.")
    _refused(workflow.add_info, people.citizen, message, text="x", kind=Refusal.WRONG_STATE)


# --- questions and answers --------------------------------------------------------------

# Monday 3 August 2026, 09:00 WITA: a week without holidays on either side.
MONDAY = datetime(2026, 8, 3, 1, 0, tzinfo=UTC)
# Ten working days after that Monday end at 23:59:59 WITA on Tuesday 18 August, not on
# Monday 17 (Independence Day): the last evening of the windows, and the morning after.
LAST_EVENING = datetime(2026, 8, 18, 14, 0, tzinfo=UTC)
MORNING_AFTER = datetime(2026, 8, 19, 0, 30, tzinfo=UTC)


def test_operator_asks_and_the_sender_answers(people):
    """Does a question make the message wait (its due date gone, the sender emailed), and
    the answer two working days later return it to `diproses` with the resolution due two
    working days later than before, and tell the operator who asked?"""
    with time_machine.travel(MONDAY, tick=False):
        message = _in_progress(people)
        due_before = message.resolution_due_at
        workflow.ask(people.operator, message, question="Di RT berapa tepatnya?")
    assert message.status == "menunggu" and message.due_at is None
    assert message.opd_response_at is not None  # the OPD's question is its response
    assert any("Di RT berapa tepatnya?" in m.text_body for m in _mail_to("pelapor@example.test"))
    _refused(workflow.progress, people.operator, message, note="x", kind=Refusal.WRONG_STATE)
    _refused(workflow.answer, people.stranger, message, text="RT 3", kind=Refusal.FORBIDDEN)
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):  # Wednesday
        workflow.answer(people.citizen, message, text="RT 3, dekat masjid.")
    cal = calendar.load()
    assert message.status == "diproses" and message.paused_days == 2
    assert message.due_clock == "resolution"
    assert message.due_at == cal.end_of(cal.add_working_days(cal.local_day(due_before), 2))
    assert message.waiting_from is None and message.asked_at is None
    assert any("RT 3, dekat masjid." in m.text_body for m in _mail_to("op@example.test"))
    assert [c.kind for c in message.changes][-2:] == ["ask", "answer"]


def test_who_may_ask_at_which_stage(people):
    """Admin before forwarding, Super Admin while escalated, the OPD's operator after
    forwarding; not another OPD's operator, not a citizen, not the Admin after forwarding."""
    new = make_message(people.citizen)
    _refused(workflow.ask, people.citizen, new, question="?", kind=Refusal.FORBIDDEN)
    _refused(workflow.ask, people.operator, new, question="?", kind=Refusal.FORBIDDEN)
    workflow.ask(people.admin, new, question="Mohon lengkapi alamat.")
    workflow.answer(people.citizen, new, text="Jl. Juanda 5")
    assert new.status == "baru"

    escalated = make_message(people.citizen)
    workflow.escalate(people.admin, escalated, reason="OPD tidak jelas")
    _refused(workflow.ask, people.admin, escalated, question="?", kind=Refusal.FORBIDDEN)
    workflow.ask(people.boss, escalated, question="Di kabupaten mana?")
    workflow.answer(people.citizen, escalated, text="Kutai Barat")
    assert escalated.status == "eskalasi"

    forwarded = make_message(people.citizen)
    forward_to(forwarded, "DISKOMINFO", admin=people.admin)
    _refused(workflow.ask, people.admin, forwarded, question="?", kind=Refusal.FORBIDDEN)
    _refused(workflow.ask, people.other_operator, forwarded, question="?",
             kind=Refusal.FORBIDDEN)
    workflow.ask(people.operator, forwarded, question="Kapan terjadinya?")
    workflow.answer(people.citizen, forwarded, text="Kemarin")
    assert forwarded.status == "diteruskan"


def test_unanswered_question_finishes_the_message_automatically(app, people):
    """After ANSWER_DAYS without an answer, does the sweep (the Celery beat task) finish the
    message as `selesai`, closed automatically, left out of the speed figures, rateable but
    not reopenable?"""
    with time_machine.travel(MONDAY, tick=False):
        message = _in_progress(people)
        workflow.ask(people.operator, message, question="Foto lokasinya ada?")
        assert workflow.close_unanswered() == 0
    with time_machine.travel(LAST_EVENING, tick=False):
        assert workflow.close_unanswered() == 0
    with time_machine.travel(MORNING_AFTER, tick=False):
        task = app.extensions["celery"].tasks["aspirasi.close_unanswered"]
        assert task.apply().get() == 1
        db.session.expire_all()
        message = db.session.get(Message, message.id)
        assert message.status == "selesai" and message.auto_closed
        assert message.resolved_at is None
        assert message.resolution == ("Ditutup otomatis karena tidak ada tanggapan pelapor "
                                      "dalam 10 hari kerja")
        assert message.changes[-1].kind == "auto_close" and message.changes[-1].actor is None
        assert message.due_at is None  # no clock runs any more
        assert build_report().on_time == []  # left out of the on-time figures
        _refused(workflow.reopen, people.citizen, message, reason="Belum",
                 kind=Refusal.WRONG_STATE)
        workflow.rate(people.citizen, message, stars=2)


# --- reopen --------------------------------------------------------------------------------

def test_reopen_goes_back_to_the_same_opd_at_most_twice(people):
    """Does reopening return the message to the same OPD as `diproses`, counted, operators
    told, resolution clock restarted from the reopening, the first resolution time kept (for
    the on-time figures); and a third time refused?"""
    with time_machine.travel(MONDAY, tick=False):
        message = _resolved(people)
    first_resolution, first_facts = message.resolved_at, message.opd_resolved_at
    cal = calendar.load()
    for n in (1, 2):
        reopened = MONDAY + timedelta(days=n)
        with time_machine.travel(reopened, tick=False):
            workflow.reopen(people.citizen, message, reason=f"Masih rusak ({n}).")
        assert message.status == "diproses" and message.reopen_count == n
        assert message.due_clock == "resolution"
        assert message.due_at == cal.due_at(reopened.replace(tzinfo=None),
                                            message.resolution_days)
        assert message.opd.short_name == "DISKOMINFO"
        assert any(f"Masih rusak ({n})." in m.text_body for m in _mail_to("op@example.test"))
        workflow.resolve(people.operator, message, resolution=f"Diperbaiki lagi ({n}).")
        assert message.due_at is None  # resolved again: no clock runs
    assert message.resolved_at == first_resolution
    assert message.opd_resolved_at == first_facts
    refusal = _refused(workflow.reopen, people.citizen, message, reason="Lagi",
                       kind=Refusal.WRONG_STATE)
    assert "2" in str(refusal)


def test_reopen_only_by_the_author_within_the_window_and_before_rating(people):
    """Are another citizen, the operator, a late reopen and a reopen after rating refused?"""
    with time_machine.travel(MONDAY, tick=False):
        message = _resolved(people)
    _refused(workflow.reopen, people.stranger, message, reason="x", kind=Refusal.FORBIDDEN)
    _refused(workflow.reopen, people.operator, message, reason="x", kind=Refusal.FORBIDDEN)
    with time_machine.travel(MORNING_AFTER, tick=False):
        _refused(workflow.reopen, people.citizen, message, reason="x",
                 kind=Refusal.WRONG_STATE)
    with time_machine.travel(LAST_EVENING, tick=False):
        workflow.reopen(people.citizen, message, reason="Belum beres.")
    rated = _resolved(people)
    workflow.rate(people.citizen, rated, stars=3)
    _refused(workflow.reopen, people.citizen, rated, reason="x", kind=Refusal.WRONG_STATE)


# --- appeal --------------------------------------------------------------------------------

def test_appeal_of_an_admins_rejection_goes_to_the_super_admin_once(people):
    """Does an appeal move an Admin's rejection to `eskalasi` (Super Admins told), where the
    Super Admin's new rejection is final?"""
    message = make_message(people.citizen)
    workflow.reject(people.admin, message, reason="Duplikat.")
    _refused(workflow.appeal, people.stranger, message, reason="x", kind=Refusal.FORBIDDEN)
    workflow.appeal(people.citizen, message, reason="Bukan duplikat, lokasinya lain.")
    assert message.status == "eskalasi" and message.appealed_at is not None
    assert any("lokasinya lain" in m.text_body for m in _mail_to("boss@example.test"))
    _refused(workflow.forward, people.admin, message, category=None, subcategory=None,
             opd=None, kind=Refusal.FORBIDDEN)
    workflow.reject(people.boss, message, reason="Tetap duplikat.")
    _refused(workflow.appeal, people.citizen, message, reason="x", kind=Refusal.WRONG_STATE)


def test_super_admins_rejection_and_late_appeals_are_refused(people):
    """Is a Super Admin's own rejection final, and an Admin's rejection unappealable after
    APPEAL_DAYS?"""
    by_boss = make_message(people.citizen)
    workflow.reject(people.boss, by_boss, reason="Spam.")
    _refused(workflow.appeal, people.citizen, by_boss, reason="x", kind=Refusal.WRONG_STATE)
    with time_machine.travel(MONDAY, tick=False):
        late = make_message(people.citizen)
        workflow.reject(people.admin, late, reason="Tidak jelas.")
        appealed = make_message(people.citizen)
        workflow.reject(people.admin, appealed, reason="Tidak jelas.")
    with time_machine.travel(MORNING_AFTER, tick=False):
        _refused(workflow.appeal, people.citizen, late, reason="x", kind=Refusal.WRONG_STATE)
    with time_machine.travel(LAST_EVENING, tick=False):
        workflow.appeal(people.citizen, appealed, reason="Sudah jelas.")
    forward_to(appealed, "DLH", admin=people.boss)
    assert appealed.status == "diteruskan"


def test_beat_runs_the_sweep_of_unanswered_questions(app):
    """Does Celery beat run the automatic finish on its schedule?"""
    schedule = app.extensions["celery"].conf.beat_schedule["close-unanswered"]
    assert schedule["task"] == "aspirasi.close_unanswered"
    assert schedule["schedule"] == app.config["CLOSE_UNANSWERED_SECONDS"]

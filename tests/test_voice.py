"""The sender's voice in the workflow: withdraw, add information, questions and answers,
the automatic finish, reopen and appeal; who may make each move and who may not."""

from datetime import UTC, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models import Message, OutboxEmail
from app.services import windows
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
    assert message.due_clock == "triage"
    workflow.withdraw(people.citizen, message, reason="Sudah diperbaiki sendiri.")
    assert message.status == "dibatalkan"
    assert message.due_clock is None and message.due_at is None  # no clock runs any more
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

def test_operator_asks_and_the_sender_answers(people):
    """Does a question make the message wait (clocks paused, sender emailed), and the answer
    return it to `diproses` (clocks running again) and tell the operator who asked?"""
    message = _in_progress(people)
    assert message.due_clock == "resolution" and message.due_at is not None
    workflow.ask(people.operator, message, question="Di RT berapa tepatnya?")
    assert message.status == "menunggu"
    assert message.paused_at is not None and message.due_at is None
    assert any("Di RT berapa tepatnya?" in m.text_body for m in _mail_to("pelapor@example.test"))
    _refused(workflow.progress, people.operator, message, note="x", kind=Refusal.WRONG_STATE)
    _refused(workflow.answer, people.stranger, message, text="RT 3", kind=Refusal.FORBIDDEN)
    workflow.answer(people.citizen, message, text="RT 3, dekat masjid.")
    assert message.status == "diproses"
    assert message.paused_at is None and message.due_at is not None
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
    message = _in_progress(people)
    workflow.ask(people.operator, message, question="Foto lokasinya ada?")
    assert workflow.close_unanswered() == 0
    # Ten working days: weekends (and days off) do not count.
    deadline = windows.answer_deadline(message.asked_at)
    assert deadline - message.asked_at > timedelta(days=11)
    with time_machine.travel(deadline.replace(tzinfo=UTC) - timedelta(minutes=1), tick=False):
        assert workflow.close_unanswered() == 0
    with time_machine.travel(deadline.replace(tzinfo=UTC) + timedelta(minutes=1), tick=False):
        task = app.extensions["celery"].tasks["aspirasi.close_unanswered"]
        assert task.apply().get() == 1
        db.session.expire_all()
        message = db.session.get(Message, message.id)
        assert message.status == "selesai" and message.auto_closed
        assert message.resolved_at is None and message.due_at is None
        assert message.resolution == ("Ditutup otomatis karena tidak ada tanggapan pelapor "
                                      "dalam 10 hari kerja")
        assert message.changes[-1].kind == "auto_close" and message.changes[-1].actor is None
        _refused(workflow.reopen, people.citizen, message, reason="Belum",
                 kind=Refusal.WRONG_STATE)
        workflow.rate(people.citizen, message, stars=2)


# --- reopen --------------------------------------------------------------------------------

def test_reopen_goes_back_to_the_same_opd_at_most_twice(people):
    """Does reopening return the message to the same OPD as `diproses`, counted, operators
    told, resolution clock restarted, the first resolution kept for the figures; and a third
    time refused?"""
    message = _resolved(people)
    first_resolution, first_for_deadlines = message.resolved_at, message.opd_resolved_at
    assert message.due_at is None
    for n in (1, 2):
        workflow.reopen(people.citizen, message, reason=f"Masih rusak ({n}).")
        assert message.status == "diproses" and message.reopen_count == n
        assert message.due_clock == "resolution" and message.due_at > first_resolution
        assert message.opd.short_name == "DISKOMINFO"
        assert any(f"Masih rusak ({n})." in m.text_body for m in _mail_to("op@example.test"))
        workflow.resolve(people.operator, message, resolution=f"Diperbaiki lagi ({n}).")
    assert message.due_at is None  # resolved again: no clock runs
    assert message.resolved_at == first_resolution
    assert message.opd_resolved_at == first_for_deadlines
    refusal = _refused(workflow.reopen, people.citizen, message, reason="Lagi",
                       kind=Refusal.WRONG_STATE)
    assert "2" in str(refusal)


def test_reopen_only_by_the_author_within_the_window_and_before_rating(people):
    """Are another citizen, the operator, a late reopen and a reopen after rating refused?"""
    message = _resolved(people)
    _refused(workflow.reopen, people.stranger, message, reason="x", kind=Refusal.FORBIDDEN)
    _refused(workflow.reopen, people.operator, message, reason="x", kind=Refusal.FORBIDDEN)
    with time_machine.travel(timedelta(days=28), tick=False):
        _refused(workflow.reopen, people.citizen, message, reason="x",
                 kind=Refusal.WRONG_STATE)
    with time_machine.travel(timedelta(days=9), tick=False):
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
    assert message.due_clock == "triage" and message.due_at is not None  # the decision's
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
    late = make_message(people.citizen)
    workflow.reject(people.admin, late, reason="Tidak jelas.")
    with time_machine.travel(timedelta(days=28), tick=False):
        _refused(workflow.appeal, people.citizen, late, reason="x", kind=Refusal.WRONG_STATE)
    appealed = make_message(people.citizen)
    workflow.reject(people.admin, appealed, reason="Tidak jelas.")
    workflow.appeal(people.citizen, appealed, reason="Sudah jelas.")
    forward_to(appealed, "DLH", admin=people.boss)
    assert appealed.status == "diteruskan"


def test_beat_runs_the_sweep_of_unanswered_questions(app):
    """Does Celery beat run the automatic finish on its schedule?"""
    schedule = app.extensions["celery"].conf.beat_schedule["close-unanswered"]
    assert schedule["task"] == "aspirasi.close_unanswered"
    assert schedule["schedule"] == app.config["CLOSE_UNANSWERED_SECONDS"]


def test_sender_moves_over_the_api(app, people):
    """Through the REST API with a token: does the author answer a question and withdraw a
    new message, while another citizen gets 404 and an Operator 403?"""
    from .support.api import login_token

    waiting = _in_progress(people)
    workflow.ask(people.operator, waiting, question="Kapan mulai rusak?")
    new = make_message(people.citizen)
    client = app.test_client()

    def post(email, message, move, body):
        token = login_token(client, email)
        return client.post(f"/api/v1/messages/{message.id}/{move}", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    assert post(people.stranger.email, waiting, "answer", {"text": "x"}).status_code == 404
    assert post("op@example.test", new, "withdraw", {}).status_code == 403
    answered = post("pelapor@example.test", waiting, "answer", {"text": "Sejak Senin"})
    assert answered.status_code == 200
    assert answered.get_json()["status"]["code"] == "diproses"
    withdrawn = post("pelapor@example.test", new, "withdraw", {"reason": "Salah kirim"})
    assert withdrawn.get_json()["status"]["code"] == "dibatalkan"
    again = post("pelapor@example.test", new, "withdraw", {})
    assert again.status_code == 409

"""The status machine: who may move a message from what to what."""

import threading

import pytest
from sqlalchemy import select

from app import workflow
from app.accounts.service import find_opd
from app.extensions import db
from app.models import Category, Message, OutboxEmail, StatusChange
from app.workflow import WorkflowError

from .factories import forward_to, make_message, make_user


def _outbox_to(email):
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == email)).all()


def test_submission_gets_a_tracking_code_and_a_receipt(db_session):
    """Does a citizen's new message get a code like AE-2026-7KQ4-M9XT and an email receipt?"""
    citizen = make_user("User", email="warga@example.test")
    message = make_message(citizen)
    assert message.status == "baru"
    assert message.code.startswith("AE-") and len(message.code) == 17
    assert any(message.code in row.subject for row in _outbox_to("warga@example.test"))


def test_full_journey_records_every_step_on_the_timeline(db_session):
    """Do forward, start, progress, resolve each leave one timeline entry with actor and notes?"""
    message = make_message()
    operator = make_user("Operator", opd="DISKOMINFO")
    forward_to(message, "DISKOMINFO")
    workflow.start(operator, message)
    workflow.progress(operator, message, note="Tim sudah ke lokasi.")
    workflow.progress(operator, message, note="Menunggu anggaran.", public=False)
    workflow.resolve(operator, message, resolution="Jalan sudah ditambal.")
    kinds = [c.kind for c in message.changes]
    assert kinds == ["submit", "forward", "start", "progress", "note", "resolve"]
    assert message.status == "selesai" and message.resolution == "Jalan sudah ditambal."
    assert message.forwarded_at and message.first_response_at and message.resolved_at
    assert [c.public for c in message.changes] == [True, True, True, True, False, True]


def test_operator_of_another_opd_cannot_touch_the_message(db_session):
    """Is an operator of DLH refused when acting on a message forwarded to DISKOMINFO?"""
    message = make_message()
    forward_to(message, "DISKOMINFO")
    stranger = make_user("Operator", opd="DLH")
    with pytest.raises(WorkflowError):
        workflow.start(stranger, message)
    assert db.session.get(Message, message.id).status == "diteruskan"


def test_resolution_text_is_required(db_session):
    """Is resolving without a resolution text refused, leaving the status unchanged?"""
    message = make_message()
    operator = make_user("Operator", opd="DISKOMINFO")
    forward_to(message)
    workflow.start(operator, message)
    with pytest.raises(WorkflowError):
        workflow.resolve(operator, message, resolution="   ")
    assert message.status == "diproses"


def test_citizen_cannot_forward_and_admin_cannot_resolve(db_session):
    """Are moves refused for the wrong role?"""
    citizen = make_user("User")
    message = make_message(citizen)
    admin = make_user("Admin")
    cat = message  # any object: the role check comes before the arguments
    with pytest.raises(WorkflowError):
        workflow.forward(citizen, message, category=cat, subcategory=cat, opd=cat)
    forward_to(message, admin=admin)
    with pytest.raises(WorkflowError):
        workflow.resolve(admin, message, resolution="Selesai")


def test_escalation_is_decided_by_super_admin_only(db_session):
    """Can only a Super Admin forward or reject an escalated message?"""
    message = make_message()
    admin = make_user("Admin")
    workflow.escalate(admin, message, reason="Tidak jelas OPD mana.")
    assert message.status == "eskalasi"
    with pytest.raises(WorkflowError):
        workflow.reject(admin, message, reason="Spam")
    boss = make_user("Super Admin")
    workflow.reject(boss, message, reason="Duplikat dari AE-2026-000001.")
    assert message.status == "ditolak"


def test_return_puts_the_message_back_in_triage_marked_returned(db_session):
    """Does an operator's return clear the OPD, mark it returned and tell the Admins?"""
    admin = make_user("Admin", email="triase@example.test")
    message = make_message()
    forward_to(message, "DLH", admin=admin)
    operator = make_user("Operator", opd="DLH")
    workflow.return_to_triage(operator, message, reason="Bukan kewenangan DLH.")
    assert (message.status, message.opd_id, message.returned) == ("baru", None, True)
    assert message.changes[-1].opd_id == find_opd("DLH").id
    assert any("AE-" in row.subject for row in _outbox_to("triase@example.test"))
    forward_to(message, "DISKOMINFO", admin=admin)
    assert message.returned is False


def test_rating_only_once_and_only_when_resolved(db_session):
    """Can the author rate a resolved message exactly once, with 1-5 stars?"""
    citizen = make_user("User")
    message = make_message(citizen)
    with pytest.raises(WorkflowError):
        workflow.rate(citizen, message, stars=5)
    operator = make_user("Operator", opd="DISKOMINFO")
    forward_to(message)
    workflow.start(operator, message)
    workflow.resolve(operator, message, resolution="Beres.")
    with pytest.raises(WorkflowError):
        workflow.rate(citizen, message, stars=6)
    workflow.rate(citizen, message, stars=4, comment="Cepat.")
    with pytest.raises(WorkflowError):
        workflow.rate(citizen, message, stars=5)
    other = make_user("User")
    assert message.rating.stars == 4
    with pytest.raises(WorkflowError):
        workflow.rate(other, message, stars=1)


def test_stale_version_is_refused(db_session):
    """Is an action based on an outdated view of the message refused without changes?"""
    message = make_message()
    seen_version = message.version
    forward_to(message)
    operator = make_user("Operator", opd="DISKOMINFO")
    with pytest.raises(WorkflowError):
        workflow.start(operator, message, expected_version=seen_version)
    assert message.status == "diteruskan"


def test_two_concurrent_moves_cannot_both_win(app):
    """Do two operators starting the same message at once leave one start, not two?"""
    with app.app_context():
        message = make_message()
        forward_to(message)
        ops = [make_user("Operator", opd="DISKOMINFO").id for _ in range(2)]
        message_id = message.id
    barrier = threading.Barrier(2)
    outcomes = []

    def act(operator_id):
        with app.app_context():
            from app.models import AppUser

            operator = db.session.get(AppUser, operator_id)
            msg = db.session.get(Message, message_id)
            _ = msg.status, msg.version  # both load the same version
            barrier.wait()
            try:
                workflow.progress(operator, msg, note=f"Catatan dari {operator_id}")
                outcomes.append("ok")
            except WorkflowError:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    # Both progress a `diteruskan` message? No: start it first so both may progress.
    with app.app_context():
        from app.models import AppUser

        workflow.start(db.session.get(AppUser, ops[0]), db.session.get(Message, message_id))
    threads = [threading.Thread(target=act, args=(op,)) for op in ops]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        notes = db.session.scalars(
            select(StatusChange).where(StatusChange.message_id == message_id,
                                       StatusChange.kind == "progress")
        ).all()
        version = db.session.get(Message, message_id).version
    # Both read the same version: exactly one may write, the other is told to reload.
    assert sorted(outcomes) == ["conflict", "ok"]
    assert len(notes) == 1
    assert version == 4  # insert (with its code), forward, start, the one note


def test_admins_forward_note_is_for_staff_not_the_citizen(db_session):
    """Does the citizen see that the message was forwarded, but not the Admin's note to the OPD?"""
    from app.policy import timeline_for, visible_note

    citizen = make_user("User", email="warga@example.test")
    message = make_message(citizen)
    admin = make_user("Admin")
    category = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
    change = workflow.forward(admin, message, category=category,
                              subcategory=category.subcategories[0], opd=find_opd("DLH"),
                              note="Mohon dicek, pelapor sudah tiga kali mengadu.")
    citizen_view = timeline_for(citizen, message)
    assert [c.kind for c in citizen_view] == ["submit", "forward"]
    assert visible_note(citizen, change) is None
    assert visible_note(admin, change) == change.note
    mails = _outbox_to("warga@example.test")
    assert not any(change.note in row.text_body for row in mails)

"""The deadline sweep: one reminder before a due time, one overdue notice after it, the
Super Admin's flag when long overdue, each once however often and however many
workers sweep; nothing for finished messages; the Super Admin's instruction."""

import threading
from datetime import datetime

import time_machine
from sqlalchemy import func, select

from app import workflow
from app.extensions import db
from app.models import DeadlineNotice, Message, OutboxEmail, StatusChange
from app.services.sweep import sweep

from .factories import forward_to, make_message, make_user

# Wednesday 12 August 2026, 10:00 WITA: the OPD's response is due Thursday 20 August
# (17 August is Independence Day).
FORWARDED = datetime(2026, 8, 12, 2, 0)
DAY_BEFORE = datetime(2026, 8, 19, 2, 0)  # Wednesday 19 August, 10:00 WITA
DAY_AFTER = datetime(2026, 8, 21, 2, 0)  # Friday 21: due yesterday
# Three working days late: 21, 24, 26 August (the 25th is the Prophet's Birthday).
THREE_LATE = datetime(2026, 8, 26, 2, 0)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _mail(email):
    return db.session.scalars(select(OutboxEmail.subject).where(
        OutboxEmail.recipient == email)).all()


def _people():
    return {
        "admin": make_user("Admin", email="admin@example.test"),
        "boss": make_user("Super Admin", email="boss@example.test"),
        "op": make_user("Operator", email="op@example.test", opd="DISKOMINFO"),
        "other_op": make_user("Operator", email="dlh@example.test", opd="DLH"),
    }


def _forwarded(people):
    with _at(FORWARDED):
        message = make_message()
        forward_to(message, "DISKOMINFO", admin=people["admin"])
    return message


def _kinds(message_id):
    return db.session.scalars(select(StatusChange.kind).where(
        StatusChange.message_id == message_id).order_by(StatusChange.id)).all()


def test_one_reminder_the_working_day_before(db_session):
    """Does the OPD's operator get one reminder on the working day before the due day,
    none earlier, and no second one however often the sweep runs?"""
    people = _people()
    _forwarded(people)
    with _at(datetime(2026, 8, 18, 2, 0)):
        assert sweep()["remind"] == 0
    with _at(DAY_BEFORE):
        assert sweep()["remind"] == 1
        assert sweep()["remind"] == 0
    assert [s for s in _mail("op@example.test") if s.startswith("Segera jatuh tempo")]
    assert not [s for s in _mail("dlh@example.test") if "jatuh tempo" in s]


def test_one_overdue_notice_with_a_system_entry(db_session):
    """When the due time has passed, do the operator and the Admins get one overdue notice,
    and the timeline a staff-only entry by "Sistem"?"""
    people = _people()
    message = _forwarded(people)
    with _at(DAY_AFTER):
        counts = sweep()
        again = sweep()
    assert counts["overdue"] == 1 and again["overdue"] == 0
    assert any(s.startswith("Terlambat") for s in _mail("op@example.test"))
    assert any(s.startswith("Terlambat") for s in _mail("admin@example.test"))
    entry = db.session.scalars(select(StatusChange).where(
        StatusChange.message_id == message.id, StatusChange.kind == "overdue")).one()
    assert entry.actor_id is None and entry.public is False
    from app.policy import actor_name

    assert actor_name(people["admin"], entry) == "Sistem"


def test_long_overdue_is_flagged_for_the_super_admin_and_cleared_by_the_action(db_session):
    """After 3 working days overdue is the message flagged (status unchanged, timeline
    entry, Super Admin told), and does the flag clear when the OPD responds?"""
    people = _people()
    message = _forwarded(people)
    with _at(datetime(2026, 8, 25, 2, 0)):  # 2 working days late: not yet
        assert sweep()["flag"] == 0
    with _at(THREE_LATE):
        assert sweep()["flag"] == 1
        assert sweep()["flag"] == 0
    db.session.expire_all()
    message = db.session.get(Message, message.id)
    assert message.flagged_at is not None and message.status == "diteruskan"
    assert "flag" in _kinds(message.id)
    assert any("perhatian" in s for s in _mail("boss@example.test"))
    # The OPD can still act; its first response clears the flag.
    workflow.start(people["op"], message)
    assert message.flagged_at is None


def test_racing_sweepers_send_each_notice_once(app):
    """Do two workers sweeping at the same moment send each notice exactly once?"""
    with app.app_context():
        people = _people()
        message_id = _forwarded(people).id
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        with app.app_context():
            try:
                barrier.wait()
                sweep(now=THREE_LATE)
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    with _at(THREE_LATE):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    with app.app_context():
        notices = db.session.scalars(select(DeadlineNotice.kind).where(
            DeadlineNotice.message_id == message_id)).all()
        assert sorted(notices) == ["flag", "overdue"]
        assert _kinds(message_id).count("overdue") == 1
        assert _kinds(message_id).count("flag") == 1


def test_nothing_for_finished_messages(db_session):
    """Are resolved, rejected and withdrawn messages, a message waiting for the
    citizen's answer and, later, that message finished for want of one, left alone?"""
    people = _people()
    resolved = _forwarded(people)
    workflow.start(people["op"], resolved)
    workflow.resolve(people["op"], resolved, resolution="Selesai.")
    waiting = _forwarded(people)
    with _at(FORWARDED):
        rejected = make_message()
        withdrawn = make_message()
        workflow.ask(people["op"], waiting, question="Di RT berapa?")
    workflow.reject(people["admin"], rejected, reason="Spam.")
    workflow.withdraw(withdrawn.author, withdrawn, reason="Sudah diperbaiki warga.")
    with _at(THREE_LATE):
        assert sweep() == {"remind": 0, "overdue": 0, "flag": 0}
    with _at(datetime(2026, 9, 1, 2, 0)):  # the ten working days to answer are over
        assert workflow.close_unanswered() == 1
        assert sweep() == {"remind": 0, "overdue": 0, "flag": 0}
    assert db.session.scalar(select(func.count(DeadlineNotice.id))) == 0


def test_super_admin_instructs_the_opd(db_session):
    """Can the Super Admin (and not an Admin) leave a staff-only instruction that the
    OPD's operators are emailed and the citizen does not see?"""
    people = _people()
    message = _forwarded(people)
    import pytest

    with pytest.raises(workflow.WorkflowError):
        workflow.instruct(people["admin"], message, instruction="Segera.")
    change = workflow.instruct(people["boss"], message, instruction="Segera tindak lanjuti.")
    assert change.public is False and message.status == "diteruskan"
    assert any("Instruksi" in s for s in _mail("op@example.test"))
    from app.policy import timeline_for

    assert change not in timeline_for(message.author, message)


def test_sweep_command_runs_one_sweep(runner, app):
    """Does `aspirasi sweep` run a sweep and say what it sent?"""
    with app.app_context():
        _forwarded(_people())
    with _at(DAY_AFTER):
        result = runner.invoke(args=["aspirasi", "sweep"])
    assert result.exit_code == 0 and "overdue: 1" in result.output


def test_flagged_queue_and_instruction_on_the_super_admins_screens(app):
    """Does a flagged message appear in the Super Admin's "Terlambat" queue (not in an
    Admin's tabs), and can the Super Admin send the OPD an instruction from its page?"""
    from .support.web import signed_in

    with app.app_context():
        people = _people()
        message_id = _forwarded(people).id
        make_message(title="Pesan tepat waktu")
    with _at(THREE_LATE):
        with app.app_context():
            sweep()
        boss = signed_in(app, "boss@example.test")
        queue = boss.get("/triase/list/?status=ditandai").get_data(as_text=True)
        assert "Jalan berlubang" in queue and "Pesan tepat waktu" not in queue
        # One name for the queue: its menu item and its tab.
        assert queue.count("Sangat terlambat") >= 2 and "Perlu perhatian" not in queue
        admin_inbox = signed_in(app, "admin@example.test").get("/triase/list/")
        assert "status=ditandai" not in admin_inbox.get_data(as_text=True)
        with app.app_context():
            version = db.session.get(Message, message_id).version
        answer = boss.post(f"/triase/instruct/{message_id}", data={
            "instruct-instruction": "Mohon segera ditanggapi.", "instruct-version": version})
        assert answer.status_code == 302
    with app.app_context():
        assert _kinds(message_id)[-1] == "instruct"


def test_sweep_recompute_gives_older_messages_their_clocks(runner, app):
    """Does `sweep --recompute` give open messages without clocks (sent before the
    upgrade) the due times their history implies?"""
    from sqlalchemy import update

    with app.app_context():
        message_id = _forwarded(_people()).id
        db.session.execute(update(Message.__table__).values(
            due_at=None, due_clock=None, opd_from=None, response_due_at=None,
            resolution_due_at=None, triage_due_at=None))
        db.session.commit()
    result = runner.invoke(args=["aspirasi", "sweep", "--recompute"])
    assert result.exit_code == 0 and "1 open messages" in result.output
    with app.app_context():
        message = db.session.get(Message, message_id)
        assert message.due_clock == "response" and message.response_due_at is not None


def test_beat_runs_the_sweep_as_a_task(app):
    """Is the sweep scheduled on beat, and does its task send the notices that are due?"""
    celery = app.extensions["celery"]
    schedule = celery.conf.beat_schedule["sweep-deadlines"]
    assert schedule["task"] == "aspirasi.sweep_deadlines"
    assert schedule["schedule"] == app.config["DEADLINE_SWEEP_SECONDS"]
    with app.app_context():
        _forwarded(_people())
    with _at(DAY_AFTER):
        with app.app_context():
            result = celery.tasks["aspirasi.sweep_deadlines"].apply().get()
    assert result["overdue"] == 1


def test_a_reopened_resolution_gets_its_own_overdue_notice(db_session):
    """When the citizen reopens a late resolution, does the new resolution clock get an
    overdue notice of its own when it too passes, once?"""
    people = _people()
    message = _forwarded(people)
    citizen = message.author
    with _at(DAY_AFTER):
        workflow.start(people["op"], message)
    with _at(datetime(2026, 9, 7, 2, 0)):  # past the first resolution's due time
        assert sweep()["overdue"] == 1
        workflow.resolve(people["op"], message, resolution="Sudah diperbaiki.")
    with _at(datetime(2026, 9, 8, 2, 0)):
        workflow.reopen(citizen, message, reason="Masih rusak.")
        assert message.due_clock == "resolution" and message.due_at is not None
        assert sweep()["overdue"] == 0
    with _at(datetime(2026, 10, 8, 2, 0)):  # a month later: the new run is overdue
        assert sweep()["overdue"] == 1
        assert sweep()["overdue"] == 0
    assert _kinds(message.id).count("overdue") == 2


def test_super_admin_instructs_the_opd_over_the_api(app):
    """Through the REST API: may the Super Admin (only) send the OPD an instruction on a
    forwarded message, is a stale version or a message not yet forwarded refused (409),
    and do the message's answers carry its due time and overdue flag?"""
    from .support.api import login_token

    with app.app_context():
        people = _people()
        message = _forwarded(people)
        message_id, version = message.id, message.version
        new_id = make_message(title="Belum diteruskan").id
    client = app.test_client()

    def post(email, pk, body):
        token = login_token(client, email)
        return client.post(f"/api/v1/messages/{pk}/instruct", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    body = {"instruction": "Mohon segera ditanggapi.", "version": version}
    assert post("admin@example.test", message_id, body).status_code == 403
    assert post("op@example.test", message_id, body).status_code == 403
    stale = {**body, "version": version + 5}
    assert post("boss@example.test", message_id, stale).status_code == 409
    assert post("boss@example.test", new_id, {"instruction": "x"}).status_code == 409
    with _at(DAY_AFTER):
        answer = post("boss@example.test", message_id, body)
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()
    assert data["status"]["code"] == "diteruskan"
    assert data["timeline"][-1]["kind"] == "instruct" and not data["timeline"][-1]["public"]
    assert data["due_stage"] == "response" and data["overdue"] is True
    with app.app_context():
        assert any("Instruksi" in s for s in _mail("op@example.test"))

"""Email through real Celery workers: Redis beside PostgreSQL, the folder broker of
`make run` beside SQLite. Requests never talk to SMTP; each email arrives once,
however many workers race and whatever fails on the way."""

import os
import subprocess
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from app import tasks, workflow
from app.extensions import db
from app.models import OutboxEmail
from app.services.mail import deliver, enqueue_committed, message_id, queue_email, send_due

from .factories import make_user
from .support.accounts import register
from .support.mail import Inbox, free_port, start_smtp
from .support.web import WEB_CONFIG, signed_in
from .support.workers import (
    SilentServer,
    at_once,
    queued_tasks,
    running_workers,
    stop,
    wait_for,
    worker_config,
    worker_process,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def broker_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("broker")


@pytest.fixture
def smtp_port():
    """A port for the mail server; a test starts (or never starts) a server on it."""
    return free_port()


@pytest.fixture
def app_config(database_url, broker_folder, smtp_port):
    return {**WEB_CONFIG, **worker_config(database_url, broker_folder),
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def inbox(smtp_port):
    inbox = Inbox()
    controller = start_smtp(inbox, port=smtp_port)
    yield inbox
    controller.stop()


def _queue_mails(app, count):
    with app.app_context():
        user = make_user(email="penerima@example.test")
        for n in range(count):
            queue_email(f"orang{n}@example.test", "password_changed", user=user,
                        forgot_url="http://localhost/account/forgot-password")
        db.session.commit()
        return list(db.session.scalars(select(OutboxEmail.id).order_by(OutboxEmail.id)))


def _unsent(app):
    with app.app_context():
        return db.session.scalar(
            select(func.count(OutboxEmail.id)).where(OutboxEmail.sent_at.is_(None)))


def test_a_real_worker_delivers_the_registration_email(app, client, inbox):
    """Does a Celery worker create the account and deliver its verification email?"""
    with running_workers(app):
        assert register(client, "pekerja@example.com").status_code == 302
        wait_for(lambda: inbox.to("pekerja@example.com"), what="the verification email")
    assert "/account/verify/" in inbox.last_to("pekerja@example.com").text


def test_a_submission_request_opens_no_smtp_connection(app, database_url, broker_folder):
    """Does sending a message only write outbox rows and queue their delivery, without
    touching the mail server in the request?"""
    silent = SilentServer()
    try:
        app.config["MAIL_PORT"] = silent.port
        with app.app_context():
            make_user("User", email="warga@example.test")
            make_user("Admin", email="admin@example.test")
        citizen = signed_in(app, "warga@example.test")
        response = citizen.post("/pesan/add", data={"title": "Lampu jalan mati",
                                                    "body": "Di Jl. Pahlawan sejak Senin."})
        assert response.status_code == 302
        assert silent.connections == []
        with app.app_context():
            rows = db.session.scalars(select(OutboxEmail)).all()
            assert {row.recipient for row in rows} == {"warga@example.test",
                                                       "admin@example.test"}
            assert all(row.sent_at is None and row.attempts == 0 for row in rows)
            celery = app.extensions["celery"]
            assert queued_tasks(celery) == len(rows)
            celery.control.purge()
    finally:
        silent.close()


def test_two_workers_deliver_each_email_exactly_once(app, database_url, inbox):
    """With two worker processes and every delivery queued three times, does each email
    arrive exactly once?"""
    ids = _queue_mails(app, 12)
    with app.app_context():
        for _ in range(3):
            for row_id in ids:
                tasks.enqueue(tasks.DELIVER_EMAIL, row_id)
    celery = app.extensions["celery"]
    workers = [worker_process(app, database_url, inbox.port) for _ in range(2)]
    try:
        wait_for(lambda: _unsent(app) == 0, timeout=60, what="every email sent")
        wait_for(lambda: queued_tasks(celery) == 0, timeout=60,
                 what="the duplicate deliveries to be consumed")
    finally:
        for worker in workers:
            stop(worker)
        celery.control.purge()
    assert sorted(m.recipients[0] for m in inbox.messages) == sorted(
        f"orang{n}@example.test" for n in range(12))
    with app.app_context():
        assert set(db.session.scalars(select(OutboxEmail.attempts))) == {1}


def test_racing_deliveries_claim_each_row_once(app, inbox):
    """When four threads try to deliver the same rows at once, is each sent exactly once?"""
    ids = _queue_mails(app, 8)
    outcomes = []

    def courier():
        with app.app_context():
            for row_id in ids:
                outcomes.append(deliver(row_id))
            db.session.remove()

    at_once(courier, 4)
    assert outcomes.count("sent") == 8 and outcomes.count("failed") == 0
    assert len(inbox.messages) == 8
    assert len({m.message["Message-ID"] for m in inbox.messages}) == 8


def test_mail_server_down_then_back_delivers_each_email_once(app, smtp_port):
    """With SMTP down during several submissions, does each email arrive exactly once
    after it comes back and the beat's sweep runs?"""
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        make_user("Admin", email="admin@example.test")
    with running_workers(app):
        with app.app_context():
            for n in range(3):
                workflow.submit(db.session.merge(citizen), title=f"Keluhan {n}",
                                body="Jalan rusak di depan pasar.")
                enqueue_committed()
        wait_for(lambda: _failed_rows(app) == 6, what="six failed first attempts")

        inbox = Inbox()
        controller = start_smtp(inbox, port=smtp_port)
        try:
            with time_machine.travel(timedelta(minutes=5), tick=True):
                with app.app_context():
                    tasks.enqueue("aspirasi.sweep_outbox")
                wait_for(lambda: _unsent(app) == 0, what="every email sent")
        finally:
            controller.stop()
    received = [m.message["Message-ID"] for m in inbox.messages]
    assert len(received) == 6 and len(set(received)) == 6
    with app.app_context():
        rows = db.session.scalars(select(OutboxEmail)).all()
        assert sorted(message_id(row) for row in rows) == sorted(received)
        assert {row.attempts for row in rows} == {2}


def _failed_rows(app):
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxEmail.id)).where(
            OutboxEmail.last_error.is_not(None), OutboxEmail.claimed_until.is_(None)))


def test_a_worker_killed_mid_send_leaves_the_email_to_the_next(app, database_url, smtp_port):
    """When a worker dies while its SMTP server hangs, is the email delivered once its
    lease has expired, under the same Message-ID?"""
    [row_id] = _queue_mails(app, 1)
    hanging = SilentServer()
    celery = app.extensions["celery"]
    worker = worker_process(app, database_url, hanging.port, MAIL_TIMEOUT="120")
    try:
        with app.app_context():
            tasks.enqueue(tasks.DELIVER_EMAIL, row_id)
        wait_for(lambda: hanging.connections and _attempts(app, row_id) == 1, timeout=60,
                 what="the worker to be stuck sending")
    finally:
        stop(worker, kill=True)
        hanging.close()
        celery.control.purge()

    inbox = Inbox()
    controller = start_smtp(inbox, port=smtp_port)
    try:
        with app.app_context():
            assert send_due() == (0, 0)  # still leased to the dead worker
            lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
            with time_machine.travel(lease, tick=True):
                assert send_due() == (1, 0)
            row = db.session.get(OutboxEmail, row_id)
            assert row.attempts == 2 and row.sent_at is not None
            expected = message_id(row)
    finally:
        controller.stop()
    assert [m.message["Message-ID"] for m in inbox.messages] == [expected]


def _attempts(app, row_id):
    with app.app_context():
        return db.session.get(OutboxEmail, row_id).attempts


def test_the_schedule_sweeps_the_outbox_every_minute(app):
    """Does Celery beat's schedule run the outbox sweep and purge old submission keys?"""
    schedule = app.extensions["celery"].conf.beat_schedule
    assert schedule["sweep-outbox"]["task"] == "aspirasi.sweep_outbox"
    assert schedule["sweep-outbox"]["schedule"] == app.config["OUTBOX_SWEEP_SECONDS"]
    assert schedule["purge-idempotency-keys"]["task"] in app.extensions["celery"].tasks



def test_make_run_worker_prints_due_email_with_beat(tmp_path):
    """Does the worker `make run` starts (folder broker, beat, no Redis, no SMTP) find a
    waiting email by itself and print it to the console?"""
    from flask_migrate import upgrade

    from app import create_app
    from tools.serve import WORKER

    environ = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "APP_ENV": "development",
               "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "make-run-test",
               "OUTBOX_SWEEP_SECONDS": "1"}
    app = create_app(environ=environ)
    with app.app_context():
        upgrade()
        app.appbuilder.sm.sync_roles()
        queue_email("konsol@example.test", "password_changed", user=make_user(),
                    forgot_url="http://localhost/account/forgot-password")
        db.session.commit()  # committed but never queued: only beat's sweep finds it
    lines = []
    worker = subprocess.Popen(WORKER, cwd=ROOT, env=environ, text=True,  # noqa: S603
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    reader = threading.Thread(target=lambda: lines.extend(worker.stdout), daemon=True)
    reader.start()
    try:
        wait_for(lambda: any("EMAIL to konsol@example.test" in line for line in lines),
                 timeout=60, what="the worker to print the email")
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    with app.app_context():
        assert db.session.scalar(select(OutboxEmail.sent_at)) is not None

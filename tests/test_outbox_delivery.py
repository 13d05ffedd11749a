"""Email that is never lost: rolled back means never sent, SMTP down means retried.

These tests run the background tasks eagerly (the testing default); the tests with a
real Celery worker are in tests/test_celery_worker.py."""

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import OutboxEmail
from app.services.mail import enqueue_committed, queue_email, send_due
from app.timeutil import utcnow

from .factories import make_user
from .support.accounts import register
from .support.mail import Inbox, free_port, start_smtp

DOWN_PORT = free_port()


@pytest.fixture
def app_config():
    # Nothing listens on this port until a test starts a server there.
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": DOWN_PORT, "MAIL_TIMEOUT": 3}


def _user_ctx():
    user = make_user(email="penerima@example.test")
    return {"user": user, "forgot_url": "http://localhost/account/forgot-password"}


def test_email_of_a_rolled_back_transaction_is_never_sent(app):
    """Is an email queued in a transaction that rolls back never sent, nor kept?"""
    inbox = Inbox()
    server = start_smtp(inbox, port=DOWN_PORT)
    try:
        with app.app_context():
            queue_email("penerima@example.test", "password_changed", **_user_ctx())
            db.session.rollback()
            enqueue_committed()
            assert send_due() == (0, 0)
            assert db.session.query(OutboxEmail).count() == 0
    finally:
        server.stop()
    assert inbox.messages == []


def test_mail_waits_in_the_outbox_until_the_server_is_up(app, client, runner):
    """With SMTP down, does registration still succeed, the mail wait with its error,
    and `aspirasi outbox send` deliver it once the server is back?"""
    assert register(client, "tunggu@example.com").status_code == 302
    with app.app_context():
        row = db.session.query(OutboxEmail).filter_by(recipient="tunggu@example.com").one()
        assert row.sent_at is None and row.attempts == 1 and row.last_error
        # The retry is due later (backoff); pretend that time has come.
        db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
        db.session.commit()

    inbox = Inbox()
    server = start_smtp(inbox, port=DOWN_PORT)
    try:
        result = runner.invoke(args=["aspirasi", "outbox", "send"])
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    mail = inbox.last_to("tunggu@example.com")
    assert "http://localhost/account/verify/" in mail.text
    with app.app_context():
        row = db.session.query(OutboxEmail).filter_by(recipient="tunggu@example.com").one()
        assert row.sent_at is not None and row.attempts == 2
    assert runner.invoke(args=["aspirasi", "outbox", "send"]).output.startswith("0 sent")

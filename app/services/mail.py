"""Email that is never lost: an outbox row first, delivery after the commit.

`queue_email()` adds an `OutboxEmail` row to the current transaction, so the mail
exists exactly when the change that caused it does. Once that transaction commits,
`deliver_committed()` (run after each request and by the CLI) sends what it queued;
anything that fails stays in the outbox with its error and is retried with backoff
by `flask aspirasi outbox send` / `outbox worker`.

With no MAIL_SERVER configured the "transport" prints each email, links and all, to
the console, so that a developer can follow them.
"""

import logging
import socket
import sys
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_mail import Message as MailMessage
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..extensions import db, mail
from ..models import OutboxEmail
from ..timeutil import utcnow

log = logging.getLogger(__name__)

_NEW = "outbox_new"
_COMMITTED = "outbox_committed"


def queue_email(recipient, template, *, locale=None, **context):
    """Render `email/<template>.*` in `locale` and add it to the outbox (no commit)."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    context.setdefault("get_locale", get_locale)  # the layouts' <html lang>
    with force_locale(locale):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text_body = render_template(f"email/{template}.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
    row = OutboxEmail(
        recipient=recipient,
        subject=" ".join(subject.split()),
        text_body=text_body,
        html_body=html_body,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    db.session.info.setdefault(_NEW, []).append(row)
    return row


@event.listens_for(Session, "after_commit")
def _remember_committed(session):
    rows = session.info.pop(_NEW, [])
    if rows:
        ids = [row.id for row in rows if row.id is not None]
        session.info.setdefault(_COMMITTED, []).extend(ids)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction):
    if not session.in_transaction():
        session.info.pop(_NEW, None)


def deliver_committed():
    """Send the mail queued by transactions that have committed. Never raises."""
    ids = db.session.info.pop(_COMMITTED, [])
    for row_id in ids:
        try:
            deliver(db.session.get(OutboxEmail, row_id))
        except Exception:  # a broken transport must not break the page
            log.exception("Outbox email %s could not be delivered", row_id)
            db.session.rollback()


def deliver(row):
    """Try to send one outbox row now; record success or the error. Commits."""
    if row is None or row.sent_at is not None:
        return True
    row.attempts = (row.attempts or 0) + 1
    try:
        _transport(row)
    except Exception as error:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.next_attempt_at = utcnow() + backoff(row.attempts)
        log.warning("Email to %s failed (attempt %d): %s", row.recipient, row.attempts, error)
        db.session.commit()
        return False
    row.sent_at = utcnow()
    row.last_error = None
    db.session.commit()
    return True


def backoff(attempts):
    """1, 2, 4, 8 … minutes between tries, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_due(limit=100):
    """Send every unsent row whose retry time has come. Returns (sent, failed)."""
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    rows = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None))
        .where(OutboxEmail.next_attempt_at <= utcnow())
        .where(OutboxEmail.attempts < max_attempts)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for row in rows:
        if deliver(row):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _transport(row):
    if not current_app.config.get("MAIL_SERVER"):
        _print_to_console(row)
        return
    message = MailMessage(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.text_body,
        html=row.html_body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    # Flask-Mail opens SMTP connections without a timeout; a stalled server must
    # not hang a request, so bound every socket operation of this send.
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(current_app.config.get("MAIL_TIMEOUT", 10))
    try:
        mail.send(message)
    finally:
        socket.setdefaulttimeout(previous)


def _print_to_console(row):
    line = "=" * 72
    out = sys.stdout
    out.write(f"\n{line}\nEMAIL to {row.recipient}\nSubject: {row.subject}\n{line}\n")
    out.write(row.text_body.rstrip() + f"\n{line}\n")
    out.flush()


def register(app):
    @app.after_request
    def _send_after_request(response):
        deliver_committed()
        return response

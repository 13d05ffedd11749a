"""Email that is never lost and never sent twice by racing workers.

`queue_email()` adds an `OutboxEmail` row to the current transaction, so the mail
exists exactly when the change that caused it does. After that transaction commits,
`enqueue_committed()` hands the new rows' ids to the background queue (a Celery task
per row, see app/tasks.py); a request never talks to SMTP itself.

`deliver(row_id)` claims its row first: a conditional UPDATE that only one worker can
win, leased for `OUTBOX_LEASE_SECONDS` (on PostgreSQL the candidate row is picked
with FOR UPDATE SKIP LOCKED, so racing workers skip it instead of waiting). The
winner sends with a timeout on its own SMTP connection and records the result. A
sweep (`due_ids`, run by Celery beat) finds rows whose retry time has come or whose
lease expired because a worker died mid-send. Each email carries a stable
Message-ID made from its row, so the one duplicate that a crash between the SMTP
server's acceptance and our commit can cause is recognisable as such.

With no MAIL_SERVER configured the "transport" prints each email, links and all, to
the console, so that a developer can follow them.
"""

import hashlib
import logging
import smtplib
import sys
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message as MailMessage
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import OutboxEmail
from ..timeutil import utcnow

log = logging.getLogger(__name__)

_NEW = "outbox_new"
_COMMITTED = "outbox_committed"
# The app's function that puts a row's delivery on the queue (set by app/tasks.py).
DISPATCH = "aspirasi.dispatch_email"


def queue_email(recipient, template, *, locale=None, **context):
    """Render `email/<template>.*` in `locale` and add it to the outbox (no commit)."""
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    context["lang"] = locale
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


def enqueue_committed():
    """Queue the delivery of every email whose transaction has committed. Never raises:
    a row the queue did not take is found again by the next sweep."""
    ids = db.session.info.pop(_COMMITTED, [])
    if not ids:
        return
    dispatch = current_app.extensions[DISPATCH]
    for row_id in ids:
        try:
            dispatch(row_id)
        except Exception:  # the broker is down: the sweep will find the row
            log.exception("Email %s could not be queued; the next sweep retries it", row_id)


def _claimable(now):
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    return (
        OutboxEmail.sent_at.is_(None),
        OutboxEmail.next_attempt_at <= now,
        OutboxEmail.attempts < max_attempts,
        or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now),
    )


def claim(row_id):
    """Lease one row for sending; True if this worker won it. Commits."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    candidate = (
        select(OutboxEmail.id)
        .where(OutboxEmail.id == row_id, *_claimable(now))
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite serialises writers
    )
    won = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(candidate), *_claimable(now))
        .values(claimed_until=now + lease, attempts=OutboxEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return won == 1


def deliver(row_id):
    """Claim, send and record one email. Returns "sent", "failed" or "skipped" (sent
    already, leased by another worker, or out of attempts). Commits."""
    if not claim(row_id):
        return "skipped"
    row = db.session.get(OutboxEmail, row_id)
    try:
        _transport(row)
    except Exception as error:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.next_attempt_at = utcnow() + backoff(row.attempts)
        row.claimed_until = None
        log.warning("Email to %s failed (attempt %d): %s", row.recipient, row.attempts, error)
        db.session.commit()
        return "failed"
    row.sent_at = utcnow()
    row.last_error = None
    row.claimed_until = None
    db.session.commit()
    return "sent"


def backoff(attempts):
    """1, 2, 4, 8 … minutes between tries, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def due_ids(limit=1000):
    """Rows to (re)send now: never tried, retry time come, or lease expired."""
    now = utcnow()
    return db.session.scalars(
        select(OutboxEmail.id)
        .where(*_claimable(now))
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()


def send_due(limit=1000):
    """Deliver every due row in this process (the manual `outbox send`): (sent, failed)."""
    outcomes = [deliver(row_id) for row_id in due_ids(limit)]
    return outcomes.count("sent"), outcomes.count("failed")


def message_id(row):
    """`<outbox-<id>.<digest>@<sender's domain>>`: the same for every try of a row."""
    sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    domain = sender.rpartition("@")[2] or "aspirasietam.local"
    stamp = f"{row.id}:{row.created_at.isoformat()}:{row.recipient}"
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return f"<outbox-{row.id}.{digest}@{domain}>"


def _transport(row):
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _print_to_console(row)
        return
    message = MailMessage(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.text_body,
        html=row.html_body,
        sender=config["MAIL_DEFAULT_SENDER"],
    )
    message.msgId = message_id(row)
    # Our own connection with its own timeout (Flask-Mail sets none, and a
    # process-wide socket default is neither thread-safe nor per connection).
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.sendmail(parseaddr(message.sender)[1], [row.recipient], message.as_bytes())


def _print_to_console(row):
    line = "=" * 72
    out = sys.stdout
    out.write(f"\n{line}\nEMAIL to {row.recipient}\nSubject: {row.subject}\n{line}\n")
    out.write(row.text_body.rstrip() + f"\n{line}\n")
    out.flush()


def register(app):
    @app.after_request
    def _enqueue_after_request(response):
        if db.session.registry.has():  # no database session this request: nothing sent
            enqueue_committed()
        return response

"""Who hears about what. Called by the workflow inside its transaction, so each
email is queued in the outbox together with the change that caused it."""

from .. import policy
from ..extensions import db
from ..models import Status
from .mail import queue_email

# Where each audience opens a message (the route bases of app/views/*).
CITIZEN_PATH = "/pesan/show/{id}"
TRIAGE_PATH = "/triase/show/{id}"
OPERATOR_PATH = "/opd/show/{id}"


def _holders(role_name, opd_id=None):
    return db.session.scalars(policy.holders(role_name, opd_id)).all()


def _send(user, template, path, message, change=None, **extra):
    queue_email(
        user.email, template, locale=user.locale,
        recipient_name=user.display_name, message=message, change=change,
        status_label=Status(message.status).label, path=path.format(id=message.id), **extra,
    )


def submitted(message, change):
    """Receipt with the tracking code to the citizen; the Admins learn of a new message."""
    _send(message.author, "message_received", CITIZEN_PATH, message, change)
    for admin in _holders(policy.ADMIN):
        _send(admin, "new_message", TRIAGE_PATH, message, change)


def forwarded(message, change, opd):
    status_changed(message, change)
    for operator in _holders(policy.OPERATOR, opd.id):
        _send(operator, "forwarded_to_opd", OPERATOR_PATH, message, change, opd=opd)
    if opd.contact_email:
        queue_email(
            opd.contact_email, "forwarded_to_opd", recipient_name=opd.name,
            message=message, change=change, opd=opd,
            status_label=Status(message.status).label,
            path=OPERATOR_PATH.format(id=message.id),
        )


def escalated(message, change):
    for boss in _holders(policy.SUPER_ADMIN):
        _send(boss, "escalated", TRIAGE_PATH, message, change)


def returned(message, change):
    for admin in _holders(policy.ADMIN):
        _send(admin, "returned", TRIAGE_PATH, message, change)


def status_changed(message, change):
    """Every public change reaches the citizen, with the note and a link."""
    if change.public:
        _send(message.author, "status_changed", CITIZEN_PATH, message, change,
              note=policy.visible_note(message.author, change))

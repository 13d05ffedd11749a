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


# --- the sender's voice (app/workflow/voice.py) ----------------------------------------

def _path_for(user):
    """Where a staff member opens a message: the inbox or the OPD's list."""
    return OPERATOR_PATH if policy.audience(user) == "operator" else TRIAGE_PATH


def _responsible_now(message):
    """Who answers for the message now: the OPD's operators once forwarded, the Super
    Admins while it awaits a decision, else the Admins."""
    if message.opd_id is not None and message.status in (Status.DITERUSKAN, Status.DIPROSES):
        return _holders(policy.OPERATOR, message.opd_id), OPERATOR_PATH
    if message.status == Status.ESKALASI:
        return _holders(policy.SUPER_ADMIN), TRIAGE_PATH
    return _holders(policy.ADMIN), TRIAGE_PATH


def question_asked(message, change, deadline):
    """The question, and until when it may be answered, to the sender."""
    _send(message.author, "voice", CITIZEN_PATH, message, change, event="asked",
          note=change.note, deadline=deadline)


def answered(message, change, asker):
    if asker is not None and asker.active:
        _send(asker, "voice", _path_for(asker), message, change, event="answered",
              note=change.note)


def info_added(message, change):
    people, path = _responsible_now(message)
    for person in people:
        _send(person, "voice", path, message, change, event="info_added", note=change.note)


def reopened(message, change):
    for operator in _holders(policy.OPERATOR, message.opd_id):
        _send(operator, "voice", OPERATOR_PATH, message, change, event="reopened",
              note=change.note)


def appealed(message, change):
    for boss in _holders(policy.SUPER_ADMIN):
        _send(boss, "voice", TRIAGE_PATH, message, change, event="appealed", note=change.note)


def withdrawn(message, change):
    """The sender's own confirmation; nobody else needs to act any more."""
    _send(message.author, "voice", CITIZEN_PATH, message, change, event="withdrawn",
          note=change.note)
def _responsible(message, clock):
    """Who must act on the running clock: the Admins at triage (a Super Admin for an
    escalated message), else the operators of the message's OPD."""
    if clock == "triage":
        role = policy.SUPER_ADMIN if message.status == Status.ESKALASI else policy.ADMIN
        return _holders(role), TRIAGE_PATH
    return _holders(policy.OPERATOR, message.opd_id), OPERATOR_PATH


def deadline(message, kind, clock, change=None):
    """The sweep's notices: a reminder and an overdue notice to the people responsible
    (the overdue one to the Admins too), a flag to the Super Admins."""
    people, path = _responsible(message, clock)
    seen = set()
    if kind == "flag":
        people, path = _holders(policy.SUPER_ADMIN), TRIAGE_PATH
    elif kind == "overdue":
        people = [*people, *(_holders(policy.ADMIN) if clock != "triage" else ())]
    for person in people:
        if person.id in seen:
            continue
        seen.add(person.id)
        person_path = TRIAGE_PATH if policy.may_triage(person) else path
        _send(person, f"deadline_{kind}", person_path, message, change, clock=clock,
              due_at=message.due_at)


def instructed(message, change):
    """The Super Admin's instruction reaches the OPD's operators."""
    for operator in _holders(policy.OPERATOR, message.opd_id):
        _send(operator, "instructed", OPERATOR_PATH, message, change)

"""The moves: the only code that changes a message's status.

Each move checks its rule (`rules.rule_for`), validates its input, writes one
timeline entry (`transaction.record`), queues its notifications in the same
transaction and commits (`transaction.atomic`). Web views and the API go through
here; no command changes a live message (`aspirasi demo` and `generate` only add
finished histories of their own, see app/services/demo.py).
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import policy
from ..extensions import db
from ..models import AppUser, Message, Rating, Status, StatusChange, random_tracking_code
from ..services import aggregates, deadlines, idempotency, notifications
from ..timeutil import utcnow
from .errors import Refusal, WorkflowError
from .rules import Move, rule_for
from .transaction import atomic, record, store_files

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_LOCATION = 200
MAX_COMMENT = 2000


def _text(value, label, required=True, limit=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise WorkflowError(_l("%(field)s is required.", field=label))
    if len(value) > limit:
        raise WorkflowError(_l("%(field)s is too long (at most %(n)d characters).",
                               field=label, n=limit))
    return value or None


def _first_response(message):
    if message.first_response_at is None:
        message.first_response_at = utcnow()
    deadlines.responded(message, utcnow())


# --- the moves ------------------------------------------------------------------

def submit(author, *, title, body, location=None, confidential=False, uploads=()):
    """A citizen sends a message: status `baru`, a tracking code, a receipt by email."""
    message, _replayed = submit_once(author, None, title=title, body=body, location=location,
                                     confidential=confidential, uploads=uploads)
    return message


def submit_once(author, once, **fields):
    """`submit`, made once per `once` = (key, fingerprint) when given: a retry with the
    same key gives the first message back. Returns (message, replayed)."""
    if once is not None:
        earlier = _earlier(author, once)
        if earlier is not None:
            return earlier, True
    try:
        return _create(author, once, **fields), False
    except IntegrityError:
        # A concurrent retry with the same key committed first.
        earlier = _earlier(author, once) if once is not None else None
        if earlier is None:
            raise
        return earlier, True


def _earlier(author, once):
    try:
        return idempotency.earlier_result(author, *once)
    except idempotency.KeyReused:
        raise WorkflowError(_l("This key was already used for a different message."),
                            Refusal.KEY_REUSED) from None


@atomic
def _create(author, once, *, title, body, location=None, confidential=False, uploads=()):
    if not policy.may_submit(author):
        raise WorkflowError(_l("Only citizens can send messages."), Refusal.FORBIDDEN)
    if getattr(author, "email_verified_at", None) is None:
        raise WorkflowError(_l("Please verify your email address first."), Refusal.FORBIDDEN)
    message = Message(
        title=_text(title, _l("Title"), limit=MAX_TITLE),
        body=_text(body, _l("Message")),
        location=_text(location, _l("Location"), required=False, limit=MAX_LOCATION),
        confidential=bool(confidential),
        author_id=author.id,
        status=Status.BARU,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    _within_submission_limits(author)
    message.code = _unused_code(message.created_at)
    deadlines.start_triage(message, message.created_at)  # inserted with the row
    db.session.add(message)
    db.session.flush()
    if once is not None:
        idempotency.remember(author, *once, message)
    change = StatusChange(
        message=message, kind=Move.SUBMIT.value, from_status=None, to_status=Status.BARU,
        public=True, actor_id=author.id, created_at=message.created_at,
    )
    db.session.add(change)
    aggregates.changed(message, None)
    store_files(author, message, None, uploads)
    notifications.submitted(message, change)
    return message


def _unused_code(created_at):
    """A random tracking code no message holds yet (the unique index guards the rest:
    a clash between two concurrent submissions, one in 10^12, fails one of them)."""
    while True:
        code = random_tracking_code(created_at)
        if db.session.scalar(select(Message.id).where(Message.code == code)) is None:
            return code


def _within_submission_limits(author):
    """At most SUBMISSIONS_PER_HOUR and _PER_DAY messages; the author's row is locked
    first (PostgreSQL), so concurrent submissions are counted one after another."""
    db.session.execute(select(AppUser.id).where(AppUser.id == author.id).with_for_update())
    config = current_app.config
    now = utcnow()
    for limit, window, text in (
        (config["SUBMISSIONS_PER_HOUR"], timedelta(hours=1),
         _l("You have sent %(n)d messages in the last hour. Please wait a while before "
            "sending another.", n=config["SUBMISSIONS_PER_HOUR"])),
        (config["SUBMISSIONS_PER_DAY"], timedelta(days=1),
         _l("You have sent %(n)d messages in the last 24 hours. Please wait until "
            "tomorrow before sending another.", n=config["SUBMISSIONS_PER_DAY"])),
    ):
        sent = db.session.scalar(select(func.count(Message.id)).where(
            Message.author_id == author.id, Message.created_at >= now - window))
        if sent >= limit:
            raise WorkflowError(text, Refusal.LIMITED)


@atomic
def forward(actor, message, *, category, subcategory, opd, note=None, expected_version=None):
    """Classify (category + subcategory of it) and forward to an OPD; also re-forward."""
    rule = rule_for(actor, message, Move.FORWARD, expected_version)
    if category is None or subcategory is None or opd is None:
        raise WorkflowError(_l("Choose a category, a subcategory and an OPD."))
    if subcategory.category_id != category.id:
        raise WorkflowError(_l("The subcategory does not belong to the chosen category."))
    if not subcategory.active or not opd.active:
        raise WorkflowError(_l("The chosen subcategory or OPD is no longer active."))
    if message.status == Status.DITERUSKAN and message.opd_id == opd.id:
        raise WorkflowError(_l("The message is already with this OPD."), Refusal.CONFLICT)
    note = _text(note, _l("Note"), required=False)
    message.category_id = category.id
    message.subcategory_id = subcategory.id
    message.opd_id = opd.id
    message.returned = False
    if message.forwarded_at is None:
        message.forwarded_at = utcnow()
    deadlines.start_opd(message, utcnow())
    change = record(actor, message, rule, note, opd=opd)
    notifications.forwarded(message, change, opd)
    return change


@atomic
def escalate(actor, message, *, reason, expected_version=None):
    """The Admin cannot tell which OPD is responsible: a Super Admin decides."""
    rule = rule_for(actor, message, Move.ESCALATE, expected_version)
    reason = _text(reason, _l("Reason"))
    change = record(actor, message, rule, reason)
    notifications.escalated(message, change)
    return change


@atomic
def reject(actor, message, *, reason, expected_version=None):
    """Not actionable (spam, duplicate, incomplete): the reason is shown to the citizen."""
    rule = rule_for(actor, message, Move.REJECT, expected_version)
    reason = _text(reason, _l("Reason"))
    deadlines.stop_all(message, utcnow())
    change = record(actor, message, rule, reason)
    notifications.status_changed(message, change)
    return change


@atomic
def start(actor, message, *, note=None, expected_version=None):
    """The OPD takes the message up: `sedang diproses`."""
    rule = rule_for(actor, message, Move.START, expected_version)
    note = _text(note, _l("Note"), required=False)
    _first_response(message)
    change = record(actor, message, rule, note)
    notifications.status_changed(message, change)
    return change


@atomic
def progress(actor, message, *, note, public=True, uploads=(), expected_version=None):
    """A progress update the citizen follows, or (public=False) an internal note."""
    rule = rule_for(actor, message, Move.PROGRESS if public else Move.NOTE, expected_version)
    note = _text(note, _l("Note"))
    if public:
        _first_response(message)
    change = record(actor, message, rule, note, uploads)
    if public:
        notifications.status_changed(message, change)
    return change


@atomic
def return_to_triage(actor, message, *, reason, expected_version=None):
    """Not this OPD's business: back to the Admins' inbox, marked as returned."""
    rule = rule_for(actor, message, Move.RETURN, expected_version)
    reason = _text(reason, _l("Reason"))
    opd = message.opd
    if message.first_response_at is None:
        message.first_response_at = utcnow()
    # Not a response: the OPD's assignment ends, and triage starts again.
    deadlines.start_triage(message, utcnow())
    message.opd_id = None
    message.returned = True
    change = record(actor, message, rule, reason, opd=opd)
    notifications.returned(message, change)
    return change


@atomic
def resolve(actor, message, *, resolution, uploads=(), expected_version=None):
    """Done: the resolution text is required, supporting files are optional."""
    rule = rule_for(actor, message, Move.RESOLVE, expected_version)
    resolution = _text(resolution, _l("Resolution"))
    message.resolution = resolution
    if message.resolved_at is None:  # the first resolution counts for the figures
        message.resolved_at = utcnow()
    _first_response(message)
    deadlines.resolved(message, utcnow())
    change = record(actor, message, rule, resolution, uploads)
    notifications.status_changed(message, change)
    return change


@atomic
def instruct(actor, message, *, instruction, expected_version=None):
    """The Super Admin's staff-only instruction to the OPD (an overdue message stays
    with its OPD; its status does not change)."""
    rule = rule_for(actor, message, Move.INSTRUCT, expected_version)
    instruction = _text(instruction, _l("Instruction"))
    change = record(actor, message, rule, instruction)
    notifications.instructed(message, change)
    return change


def rate(author, message, *, stars, comment=None):
    """The citizen rates a resolved message of their own, once."""
    if not policy.is_author(author, message):
        raise WorkflowError(_l("You can only rate your own messages."), Refusal.FORBIDDEN)
    if message.status != Status.SELESAI:
        raise WorkflowError(_l("A message can be rated once it is resolved."),
                            Refusal.WRONG_STATE)
    if message.rating is not None:
        raise WorkflowError(_l("You have already rated this message."), Refusal.CONFLICT)
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise WorkflowError(_l("Choose from 1 to 5 stars."))
    comment = _text(comment, _l("Comment"), required=False, limit=MAX_COMMENT)
    rating = Rating(message_id=message.id, stars=stars, comment=comment, created_at=utcnow())
    db.session.add(rating)
    aggregates.rated(message, stars)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise WorkflowError(_l("You have already rated this message."),
                            Refusal.CONFLICT) from None
    return rating

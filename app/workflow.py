"""The status machine of a message: who may move it from what to what, and what
each move requires and records. Web views, the API and the CLI all call this
module; none of them changes a status on its own.

Every move writes one timeline entry (`StatusChange`), never edited afterwards,
queues its notifications in the same transaction, and commits. Two people acting
on the same message at once cannot both win: the message row carries a version
(`Message.version`, SQLAlchemy's optimistic lock), so the second commit fails
cleanly with `WorkflowError` and changes nothing.
"""

import contextvars
import enum
import functools
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db
from .models import Attachment, Message, Rating, Status, StatusChange
from .security.roles import ADMIN, SUPER_ADMIN, USER
from .services import notifications
from .services.access import is_operator_of
from .services.uploads import storage
from .timeutil import to_local, utcnow

MAX_TITLE = 200
# Files written to disk by the running move, deleted again if it does not commit.
_saved_files = contextvars.ContextVar("saved_files")
MAX_TEXT = 10_000


class Move(enum.StrEnum):
    SUBMIT = "submit"
    FORWARD = "forward"
    ESCALATE = "escalate"
    REJECT = "reject"
    START = "start"
    PROGRESS = "progress"
    NOTE = "note"
    RETURN = "return"
    RESOLVE = "resolve"


class WorkflowError(Exception):
    """A move that is not allowed or not complete. `str()` is the user's message."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def _roles(user):
    return {role.name for role in user.roles} if user is not None else set()


def _triage(user, message):
    return bool(_roles(user) & {ADMIN, SUPER_ADMIN})


def _decider(user, message):
    return SUPER_ADMIN in _roles(user)


def _opd_operator(user, message):
    return is_operator_of(user, message)


@dataclass(frozen=True)
class Rule:
    move: Move
    sources: frozenset
    target: Status | None  # None: the status stays as it is
    allowed: object  # callable(user, message) -> bool
    public: bool = True


S = Status
RULES = (
    Rule(Move.FORWARD, frozenset({S.BARU, S.DITERUSKAN}), S.DITERUSKAN, _triage),
    Rule(Move.FORWARD, frozenset({S.ESKALASI}), S.DITERUSKAN, _decider),
    Rule(Move.ESCALATE, frozenset({S.BARU}), S.ESKALASI, _triage, public=False),
    Rule(Move.REJECT, frozenset({S.BARU}), S.DITOLAK, _triage),
    Rule(Move.REJECT, frozenset({S.ESKALASI}), S.DITOLAK, _decider),
    Rule(Move.START, frozenset({S.DITERUSKAN}), S.DIPROSES, _opd_operator),
    Rule(Move.PROGRESS, frozenset({S.DIPROSES}), None, _opd_operator),
    Rule(Move.NOTE, frozenset({S.DITERUSKAN, S.DIPROSES}), None, _opd_operator, public=False),
    Rule(Move.RETURN, frozenset({S.DITERUSKAN, S.DIPROSES}), S.BARU, _opd_operator, public=False),
    Rule(Move.RESOLVE, frozenset({S.DIPROSES}), S.SELESAI, _opd_operator),
)

CONFLICT = _l("Someone else changed this message in the meantime. "
              "Please reload it and try again.")


def allowed_moves(user, message):
    """The moves `user` may make on `message` now (for showing the right buttons)."""
    status = Status(message.status)
    return {r.move for r in RULES if status in r.sources and r.allowed(user, message)}


def _rule_for(user, message, move, expected_version):
    if expected_version is not None and str(expected_version) != str(message.version):
        raise WorkflowError(CONFLICT)
    status = Status(message.status)
    rules = [r for r in RULES if r.move == move]
    for rule in rules:
        if status in rule.sources and rule.allowed(user, message):
            return rule
    if any(status in r.sources for r in rules):
        raise WorkflowError(_l("You are not allowed to do this with this message."))
    raise WorkflowError(
        _l("This cannot be done while the message is \u201c%(status)s\u201d.",
           status=Status(message.status).label)
    )


def _text(value, label, required=True, limit=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise WorkflowError(_l("%(field)s is required.", field=label))
    if len(value) > limit:
        raise WorkflowError(_l("%(field)s is too long (at most %(n)d characters).",
                               field=label, n=limit))
    return value or None


def _record(actor, message, rule, note, uploads=(), opd=None):
    """Apply `rule` to `message`, write its timeline entry and files."""
    previous = message.status
    if rule.target is not None:
        message.status = rule.target
    message.updated_at = utcnow()  # also bumps the version of a note-only move
    change = StatusChange(
        message=message,
        kind=rule.move.value,
        from_status=previous,
        to_status=message.status,
        note=note,
        public=rule.public,
        actor_id=actor.id,
        opd_id=opd.id if opd is not None else message.opd_id,
        created_at=utcnow(),
    )
    db.session.add(change)
    _store_files(actor, message, change, uploads)
    return change


def _store_files(actor, message, change, uploads):
    saved = _saved_files.get()
    box = storage()
    for upload in uploads:
        stored_name = box.save(upload)
        saved.append(stored_name)
        db.session.add(Attachment(
            message_id=message.id,
            status_change=change,
            original_name=upload.original_name,
            stored_name=stored_name,
            size=upload.size,
            content_type=upload.content_type,
            sha256=upload.sha256,
            uploaded_by_id=actor.id,
        ))


def _atomic(move):
    """Run a move as one transaction: commit it all, or undo rows *and* files.

    A lost race shows up as StaleDataError at whichever flush first writes the
    stale row (an autoflush included), so it is caught around the whole move.
    """

    @functools.wraps(move)
    def run(*args, **kwargs):
        saved = []
        token = _saved_files.set(saved)
        try:
            result = move(*args, **kwargs)
            db.session.commit()
            return result
        except StaleDataError:
            _undo(saved)
            raise WorkflowError(CONFLICT) from None
        except BaseException:
            _undo(saved)
            raise
        finally:
            _saved_files.reset(token)

    return run


def _undo(saved):
    db.session.rollback()
    box = storage()
    for name in saved:
        box.delete(name)


def _first_response(message):
    if message.first_response_at is None:
        message.first_response_at = utcnow()


# --- the moves ------------------------------------------------------------------

@_atomic
def submit(author, *, title, body, location=None, confidential=False, uploads=()):
    """A citizen sends a message: status `baru`, a tracking code, a receipt by email."""
    if USER not in _roles(author):
        raise WorkflowError(_l("Only citizens can send messages."))
    if getattr(author, "email_verified_at", None) is None:
        raise WorkflowError(_l("Please verify your email address first."))
    message = Message(
        title=_text(title, _l("Title"), limit=MAX_TITLE),
        body=_text(body, _l("Message")),
        location=_text(location, _l("Location"), required=False, limit=200),
        confidential=bool(confidential),
        author_id=author.id,
        status=Status.BARU,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    message.code = tracking_code(message)
    change = StatusChange(
        message=message, kind=Move.SUBMIT.value, from_status=None, to_status=Status.BARU,
        public=True, actor_id=author.id, created_at=message.created_at,
    )
    db.session.add(change)
    _store_files(author, message, None, uploads)
    notifications.submitted(message, change)
    return message


def tracking_code(message):
    """`AE-2026-000123`: the local year of submission and the row's number."""
    return code_for(message.id, message.created_at)


def code_for(message_id, created_at):
    """The tracking code of a message row; every path that creates messages uses it,
    so codes can never collide (the row number is unique)."""
    return f"AE-{to_local(created_at).year}-{message_id:06d}"


@_atomic
def forward(actor, message, *, category, subcategory, opd, note=None, expected_version=None):
    """Classify (category + subcategory of it) and forward to an OPD; also re-forward."""
    rule = _rule_for(actor, message, Move.FORWARD, expected_version)
    if category is None or subcategory is None or opd is None:
        raise WorkflowError(_l("Choose a category, a subcategory and an OPD."))
    if subcategory.category_id != category.id:
        raise WorkflowError(_l("The subcategory does not belong to the chosen category."))
    if not subcategory.active or not opd.active:
        raise WorkflowError(_l("The chosen subcategory or OPD is no longer active."))
    if message.status == Status.DITERUSKAN and message.opd_id == opd.id:
        raise WorkflowError(_l("The message is already with this OPD."))
    note = _text(note, _l("Note"), required=False)
    message.category_id = category.id
    message.subcategory_id = subcategory.id
    message.opd_id = opd.id
    message.returned = False
    if message.forwarded_at is None:
        message.forwarded_at = utcnow()
    change = _record(actor, message, rule, note, opd=opd)
    notifications.forwarded(message, change, opd)
    return change


@_atomic
def escalate(actor, message, *, reason, expected_version=None):
    """The Admin cannot tell which OPD is responsible: a Super Admin decides."""
    rule = _rule_for(actor, message, Move.ESCALATE, expected_version)
    reason = _text(reason, _l("Reason"))
    change = _record(actor, message, rule, reason)
    notifications.escalated(message, change)
    return change


@_atomic
def reject(actor, message, *, reason, expected_version=None):
    """Not actionable (spam, duplicate, incomplete): the reason is shown to the citizen."""
    rule = _rule_for(actor, message, Move.REJECT, expected_version)
    reason = _text(reason, _l("Reason"))
    change = _record(actor, message, rule, reason)
    notifications.status_changed(message, change)
    return change


@_atomic
def start(actor, message, *, note=None, expected_version=None):
    """The OPD takes the message up: `sedang diproses`."""
    rule = _rule_for(actor, message, Move.START, expected_version)
    note = _text(note, _l("Note"), required=False)
    _first_response(message)
    change = _record(actor, message, rule, note)
    notifications.status_changed(message, change)
    return change


@_atomic
def progress(actor, message, *, note, public=True, uploads=(), expected_version=None):
    """A progress update the citizen follows, or (public=False) an internal note."""
    rule = _rule_for(actor, message, Move.PROGRESS if public else Move.NOTE, expected_version)
    note = _text(note, _l("Note"))
    if public:
        _first_response(message)
    change = _record(actor, message, rule, note, uploads)
    if public:
        notifications.status_changed(message, change)
    return change


@_atomic
def return_to_triage(actor, message, *, reason, expected_version=None):
    """Not this OPD's business: back to the Admins' inbox, marked as returned."""
    rule = _rule_for(actor, message, Move.RETURN, expected_version)
    reason = _text(reason, _l("Reason"))
    opd = message.opd
    _first_response(message)
    message.opd_id = None
    message.returned = True
    change = _record(actor, message, rule, reason, opd=opd)
    notifications.returned(message, change)
    return change


@_atomic
def resolve(actor, message, *, resolution, uploads=(), expected_version=None):
    """Done: the resolution text is required, supporting files are optional."""
    rule = _rule_for(actor, message, Move.RESOLVE, expected_version)
    resolution = _text(resolution, _l("Resolution"))
    message.resolution = resolution
    message.resolved_at = utcnow()
    _first_response(message)
    change = _record(actor, message, rule, resolution, uploads)
    notifications.status_changed(message, change)
    return change


def rate(author, message, *, stars, comment=None):
    """The citizen rates a resolved message of their own, once."""
    if message.author_id != author.id:
        raise WorkflowError(_l("You can only rate your own messages."))
    if message.status != Status.SELESAI:
        raise WorkflowError(_l("A message can be rated once it is resolved."))
    if message.rating is not None:
        raise WorkflowError(_l("You have already rated this message."))
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise WorkflowError(_l("Choose from 1 to 5 stars."))
    comment = _text(comment, _l("Comment"), required=False, limit=2000)
    rating = Rating(message_id=message.id, stars=stars, comment=comment, created_at=utcnow())
    db.session.add(rating)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise WorkflowError(_l("You have already rated this message.")) from None
    return rating

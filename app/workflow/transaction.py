"""How a move is recorded: one transaction per move, one timeline entry per change.

A failed move rolls back its rows *and* deletes the files it already wrote. A lost
race shows up as SQLAlchemy's StaleDataError (the message row carries a version) at
whichever flush first writes the stale row, so it is caught around the whole move.
"""

import contextvars
import functools

from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Attachment, StatusChange
from ..services import aggregates
from ..services.uploads import storage
from ..timeutil import utcnow
from .errors import conflict

# Files written to disk by the running move, deleted again if it does not commit.
_saved_files = contextvars.ContextVar("saved_files")
# (message, its aggregate state before the move) of the running move: the aggregates
# move once the move has made all its changes (the clocks change after `record` too).
_moved = contextvars.ContextVar("moved")


def atomic(move):
    """Run a move as one transaction: commit it all, or undo rows and files."""

    @functools.wraps(move)
    def run(*args, **kwargs):
        saved, moved = [], []
        token, moved_token = _saved_files.set(saved), _moved.set(moved)
        try:
            result = move(*args, **kwargs)
            for message, before in moved:
                aggregates.changed(message, before, aggregates.current_stars(message))
            db.session.commit()
            return result
        except StaleDataError:
            _undo(saved)
            raise conflict() from None
        except BaseException:
            _undo(saved)
            raise
        finally:
            _saved_files.reset(token)
            _moved.reset(moved_token)

    return run


def _undo(saved):
    db.session.rollback()
    box = storage()
    for name in saved:
        box.delete(name)


def record(actor, message, rule, note, uploads=(), opd=None):
    """Apply `rule` to `message`, write its timeline entry and files, and move its
    contribution to the daily aggregates (same transaction)."""
    before = aggregates.state_before(message)  # as loaded, before this move's changes
    previous = message.status
    target = rule.target_for(message)
    if target is not None:
        message.status = target
    moved = _moved.get(None)
    if moved is None:  # not in a move's transaction: now
        aggregates.changed(message, before, aggregates.current_stars(message))
    elif all(other is not message for other, _before in moved):
        moved.append((message, before))
    message.updated_at = utcnow()  # also bumps the version of a note-only move
    change = StatusChange(
        message=message,
        kind=rule.move.value,
        from_status=previous,
        to_status=message.status,
        note=note,
        public=rule.public,
        actor_id=actor.id if actor is not None else None,  # None: the scheduled sweep
        opd_id=opd.id if opd is not None else message.opd_id,
        created_at=utcnow(),
    )
    db.session.add(change)
    store_files(actor, message, change, uploads)
    return change


def store_files(actor, message, change, uploads):
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
            uploaded_by_id=actor.id if actor is not None else None,
        ))

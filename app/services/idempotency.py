"""A submission happens once per key, however often it is retried.

The key is the web form's one-time token or the API's `Idempotency-Key` header,
scoped to the person and kept `IDEMPOTENCY_HOURS`. Its row is written in the same
transaction as the message it produced; the same key with the same request answers
that message again, with a different request it is refused.
"""

import hashlib
import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import IdempotencyKey, Message
from ..timeutil import utcnow

MAX_KEY_LENGTH = 200


class KeyReused(Exception):
    """The key was first sent with a different request."""


def fingerprint(fields):
    """A digest of what was submitted (text fields and the files' digests)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _window_start():
    return utcnow() - timedelta(hours=current_app.config["IDEMPOTENCY_HOURS"])


def earlier_result(user, key, print_):
    """The message an earlier request with this key produced, or None. Raises KeyReused
    when the key came with another request."""
    row = db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == user.id, IdempotencyKey.key == key,
            IdempotencyKey.created_at >= _window_start(),
        )
    )
    if row is None:
        return None
    if row.fingerprint != print_:
        raise KeyReused()
    return db.session.get(Message, row.message_id)


def remember(user, key, print_, message):
    """Record the key with its result (in the caller's transaction). An expired row of
    the same key gives way."""
    db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.user_id == user.id, IdempotencyKey.key == key,
        IdempotencyKey.created_at < _window_start(),
    ))
    db.session.add(IdempotencyKey(user_id=user.id, key=key, fingerprint=print_,
                                  message_id=message.id, created_at=utcnow()))


def purge():
    """Forget keys older than the window (Celery beat, hourly). Returns how many."""
    removed = db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < _window_start())
    ).rowcount
    db.session.commit()
    return removed

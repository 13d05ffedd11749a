"""Conditions of the sender's moves beyond status and person: limits and windows.

Each takes the message and returns None when the move is possible, or the reason it
is not (shown to the sender). The windows come from `services.windows`.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import policy
from ..models import Move, Status
from ..services import windows
from ..timeutil import utcnow


def last_change(message, kind, to_status=None):
    """The newest timeline entry of `kind` (into `to_status`, if given), or None."""
    for change in reversed(message.changes):
        if change.kind == kind and (to_status is None or change.to_status == to_status):
            return change
    return None


def back_to_where_it_was(message):
    """The target of an answer: the status the question interrupted."""
    return Status(message.waiting_from or Status.BARU)


def reopenable(message):
    if message.auto_closed:
        return _l("A message closed for want of an answer cannot be reopened.")
    if message.rating is not None:
        return _l("A rated message cannot be reopened.")
    limit = current_app.config["REOPEN_LIMIT"]
    if message.reopen_count >= limit:
        return _l("A message can be reopened at most %(n)d times.", n=limit)
    resolved = last_change(message, Move.RESOLVE)
    if resolved is None or utcnow() > windows.reopen_window_ends(resolved.created_at):
        return _l("The time to reopen this message has passed.")
    return None


def appealable(message):
    if message.appealed_at is not None:
        return _l("A rejection can be appealed only once.")
    rejected = last_change(message, Move.REJECT)
    if rejected is None or policy.may_decide(rejected.actor):
        return _l("A Super Admin's decision is final.")
    if utcnow() > windows.appeal_window_ends(rejected.created_at):
        return _l("The time to appeal this rejection has passed.")
    return None

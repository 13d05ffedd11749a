"""Loading a message or an attachment for a person: the one door every path uses.

Views, the API, exports and downloads load objects through these helpers, which ask
`app.policy` what the person may see. Another person's message answers 404, exactly
like one that does not exist.
"""

from flask import abort, g
from sqlalchemy import select

from .. import policy
from ..extensions import db
from ..inputs import parse_id
from ..models import Attachment, Message


def get_message_or_404(message_id, user=None):
    """The message if `user` (default: the current user) may see it; else 404."""
    user = g.user if user is None else user
    message_id = parse_id(message_id)
    if message_id is None:
        abort(404)
    message = db.session.scalar(
        select(Message).where(Message.id == message_id).where(policy.message_scope(user))
    )
    if message is None:
        abort(404)
    return message


def get_own_message_or_404(message_id, user=None):
    """A message the person wrote themselves ("my messages"); anyone else's is 404."""
    user = g.user if user is None else user
    message = get_message_or_404(message_id, user)
    if not policy.is_author(user, message):
        abort(404)
    return message


def get_attachment_or_404(attachment_id, user=None):
    user = g.user if user is None else user
    attachment_id = parse_id(attachment_id)
    attachment = db.session.get(Attachment, attachment_id) if attachment_id else None
    if attachment is None:
        abort(404)
    message = get_message_or_404(attachment.message_id, user)
    change = attachment.status_change
    if change is not None and not policy.sees_change(user, change):
        abort(404)
    return message, attachment

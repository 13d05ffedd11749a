"""Who may see which message: the one place every path asks.

Views, the API, exports and downloads all load messages through these helpers, so a
citizen sees only their own messages and an operator only their OPD's, everywhere.
Another person's message answers 404, exactly like one that does not exist.
"""

from flask import abort, g
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, or_, select, true

from ..extensions import db
from ..models import Attachment, Message
from ..security.roles import ADMIN, OPERATOR, SUPER_ADMIN, USER

CONFIDENTIAL_LABEL = _l("identity kept confidential")

# An id no row has: an operator without an OPD must match nothing, not NULLs.
_NO_OPD = -1


def _roles(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {role.name for role in user.roles}


def is_triage_staff(user):
    return bool(_roles(user) & {ADMIN, SUPER_ADMIN})


def is_staff(user):
    return bool(_roles(user) & {ADMIN, SUPER_ADMIN, OPERATOR})


def is_operator_of(user, message):
    return OPERATOR in _roles(user) and user.opd_id is not None and message.opd_id == user.opd_id


def message_scope(user):
    """A WHERE clause selecting exactly the messages `user` may see."""
    roles = _roles(user)
    if roles & {ADMIN, SUPER_ADMIN}:
        return true()
    conditions = []
    if OPERATOR in roles:
        conditions.append(Message.opd_id == (user.opd_id or _NO_OPD))
    if USER in roles:
        conditions.append(Message.author_id == user.id)
    return or_(*conditions) if conditions else false()


def visible_messages(user):
    return select(Message).where(message_scope(user))


def get_message_or_404(message_id, user=None):
    """The message if `user` (default: the current user) may see it; else 404."""
    user = g.user if user is None else user
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        abort(404)
    message = db.session.scalar(
        select(Message).where(Message.id == message_id).where(message_scope(user))
    )
    if message is None:
        abort(404)
    return message


def sees_identity(user, message):
    """Operators do not learn who wrote a confidential message; nobody else is limited."""
    if message.author_id == getattr(user, "id", None) or is_triage_staff(user):
        return True
    return not message.confidential


def author_details(user, message):
    """Name, email and phone of the author as `user` may see them."""
    if sees_identity(user, message):
        author = message.author
        return {
            "name": author.display_name,
            "email": author.email,
            "phone": author.phone or "",
            "confidential": False,
        }
    label = str(CONFIDENTIAL_LABEL)
    return {"name": label, "email": label, "phone": label, "confidential": True}


def actor_name(user, change):
    """Who made a timeline entry, as `user` may see it. The first entry's actor is the
    author: for a confidential message an operator gets the label, not the name."""
    actor = change.actor
    if actor is None:
        return ""
    message = change.message
    if actor.id == message.author_id and not sees_identity(user, message):
        return str(CONFIDENTIAL_LABEL)
    return actor.display_name


# Timeline entries whose note is addressed to staff even when the entry is public:
# the Admin's note to the OPD on a forward.
_STAFF_NOTES = {"forward"}


def visible_note(user, change):
    """The note of a timeline entry as `user` may read it (None when hidden)."""
    if change.kind in _STAFF_NOTES and not is_staff(user):
        return None
    return change.note


def timeline_for(user, message):
    """Timeline entries `user` may read: staff see internal notes, citizens do not."""
    if is_staff(user):
        return list(message.changes)
    return [change for change in message.changes if change.public]


def get_attachment_or_404(attachment_id, user=None):
    user = g.user if user is None else user
    attachment = db.session.get(Attachment, attachment_id) if str(attachment_id).isdigit() else None
    if attachment is None:
        abort(404)
    message = get_message_or_404(attachment.message_id, user)
    change = attachment.status_change
    if change is not None and not change.public and not is_staff(user):
        abort(404)
    return message, attachment


class MessageScopeFilter(BaseFilter):
    """FAB base filter: limits a ModelView/ModelRestApi to the current user's scope.

    Use as `base_filters = [["id", MessageScopeFilter, lambda: None]]`. FAB applies
    base filters to list, show, edit, delete and the REST API's get/put/delete, but
    NOT to `@action`s or downloads: those must call `get_message_or_404` themselves.
    """

    name = "Message scope"
    arg_name = "scope"

    def apply(self, query, value):
        return query.filter(message_scope(g.user))

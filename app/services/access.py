"""Loading a message or an attachment for a person: the one door every path uses.

Views, the API, exports and downloads load objects through these helpers, which ask
`app.policy` what the person may see. Another person's message answers 404, exactly
like one that does not exist.
"""

from flask import abort, g
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import policy
from ..extensions import db
from ..inputs import parse_id
from ..models import Attachment, Message, StatusChange, normal_code


def _shown_with_it(actors=True):
    """What a detail page shows of a message, loaded with it (not one query each).
    `actors=False`: the author's page, which names OPDs, not officers."""
    of_each_change = [joinedload(StatusChange.opd), selectinload(StatusChange.attachments)]
    if actors:
        of_each_change.append(joinedload(StatusChange.actor))
    return (
        joinedload(Message.category), joinedload(Message.subcategory),
        joinedload(Message.opd), joinedload(Message.rating),
        selectinload(Message.attachments),
        selectinload(Message.changes).options(*of_each_change),
    )


def get_message_or_404(message_id, user=None, *, detail=False):
    """The message if `user` (default: the current user) may see it; else 404.
    `detail`: with everything its detail page shows."""
    user = g.user if user is None else user
    message_id = parse_id(message_id)
    if message_id is None:
        abort(404)
    query = select(Message).where(Message.id == message_id).where(policy.message_scope(user))
    message = db.session.scalar(query.options(*_shown_with_it()) if detail else query)
    if message is None:
        abort(404)
    return message


# Statements a citizen's pages run on every view, written once per process (SQLAlchemy
# then reuses their compiled form without rebuilding and hashing the loader options).
_AUTHORS = {}


def _authors_statement(name):
    if name not in _AUTHORS:
        mine = Message.author_id == bindparam("author_id")
        _AUTHORS.update({
            "detail": select(Message).where(Message.id == bindparam("message_id"), mine)
            .options(*_shown_with_it(actors=False)),
            "count": select(func.count()).select_from(Message).where(mine),
            "count_status": select(func.count()).select_from(Message)
            .where(mine, Message.status == bindparam("status")),
            "page": select(Message).where(mine)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")),
            "page_status": select(Message).where(mine, Message.status == bindparam("status"))
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")),
        })
    return _AUTHORS[name]


def get_own_message_or_404(message_id, user=None, *, detail=False):
    """A message the person wrote themselves ("my messages"); anyone else's is 404."""
    user = g.user if user is None else user
    if detail and policy.sees_only_own(user):
        number = parse_id(message_id)
        message = number and db.session.scalar(
            _authors_statement("detail"), {"message_id": number, "author_id": user.id})
        if not message:
            abort(404)
        return message
    message = get_message_or_404(message_id, user, detail=detail)
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


def own_messages(user, status=None, page=1, per_page=20):
    """One page of the messages `user` wrote ("my messages"), newest first, and how
    many there are in all; `status` (a Status) narrows them to one status."""
    if policy.sees_only_own(user):
        values = {"author_id": user.id, "limit": per_page, "offset": (page - 1) * per_page}
        suffix = ""
        if status is not None:
            values["status"], suffix = status.value, "_status"
        total = db.session.scalar(_authors_statement("count" + suffix), values)
        rows = db.session.scalars(_authors_statement("page" + suffix), values).all()
        return rows, total
    query = select(Message).where(policy.message_scope(user), Message.author_id == user.id)
    if status is not None:
        query = query.where(Message.status == status.value)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(Message.created_at.desc(), Message.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return rows, total


def tracked_message(code):
    """What `/lacak` shows of the message with tracking code `code` (as typed), through
    `tracked`; None for a code no message has."""
    code = normal_code(code)
    if code is None:
        return None
    message = db.session.scalar(
        select(Message).where(Message.code == code)
        .options(joinedload(Message.opd), selectinload(Message.changes)))
    return tracked(message) if message is not None else None


# What anyone holding a tracking code may read: no person's rights are involved.
def tracked(message):
    """A message as `/lacak` shows it to anyone: its code, status, OPD and the kind and
    time of each public step; never the title, the text, the place, a name or a note,
    and for a confidential message not even the OPD."""
    opd = None if message.confidential or message.opd is None else message.opd.name
    steps = [{"kind": c.kind, "from_status": c.from_status, "at": c.created_at}
             for c in message.changes if c.public]
    target = {"clock": message.due_clock, "due_at": message.due_at,  # the stage's target
              "paused": message.paused_at is not None}
    return {"code": message.code, "status": message.status, "opd": opd, "steps": steps,
            "target": target}

"""What the API says about a message, declared once per audience.

The dump functions decide which fields a reader gets (an operator never gets the
identity behind a confidential message; a citizen never gets internal notes or
staff names); the marshmallow schemas describe the same shapes in the OpenAPI spec.
"""

from marshmallow import Schema, fields

from ..models import Status
from ..policy import (
    actor_name,
    author_details,
    is_staff,
    timeline_for,
    visible_note,
)
from ..timeutil import to_local
from ..workflow import allowed_moves


def iso(value):
    """A stored naive-UTC time as ISO 8601 in the province's zone (+08:00)."""
    local = to_local(value)
    return local.isoformat() if local is not None else None


def _status(value):
    return {"code": str(value), "label": str(Status(value).label)} if value else None


def _ref(obj, **extra):
    if obj is None:
        return None
    return {"id": obj.id, "name": obj.name, **extra}


def _attachment(attachment):
    return {
        "id": attachment.id,
        "name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
    }


def dump_summary(message):
    """One row of a list: no identity, no body."""
    return {
        "id": message.id,
        "code": message.code,
        "title": message.title,
        "status": _status(message.status),
        "opd": _ref(message.opd, short_name=message.opd.short_name) if message.opd else None,
        "returned": bool(message.returned),
        "created_at": iso(message.created_at),
        "updated_at": iso(message.updated_at),
    }


def _change(reader, change):
    entry = {
        "id": change.id,
        "kind": change.kind,
        "from_status": _status(change.from_status),
        "to_status": _status(change.to_status),
        "note": visible_note(reader, change),
        "public": bool(change.public),
        "created_at": iso(change.created_at),
        "opd": change.opd.short_name if change.opd else None,
        "attachments": [_attachment(a) for a in change.attachments],
    }
    # Citizens learn which office acted, not which officer.
    if is_staff(reader):
        entry["actor"] = actor_name(reader, change) or None
    return entry


def dump_detail(reader, message):
    """The whole message as `reader` may see it."""
    data = dump_summary(message)
    data.update(
        body=message.body,
        location=message.location,
        confidential=bool(message.confidential),
        category=_ref(message.category),
        subcategory=_ref(message.subcategory),
        resolution=message.resolution,
        version=message.version,
        author=author_details(reader, message),
        attachments=[_attachment(a) for a in message.attachments],
        timeline=[_change(reader, c) for c in timeline_for(reader, message)],
        rating=({"stars": message.rating.stars, "comment": message.rating.comment}
                if message.rating else None),
        allowed_moves=sorted(str(m) for m in allowed_moves(reader, message)),
    )
    return data


# --- OpenAPI descriptions of the same shapes ------------------------------------

class StatusSchema(Schema):
    code = fields.String(metadata={"example": "diteruskan"})
    label = fields.String(metadata={"example": "Diteruskan ke OPD"})


class RefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    short_name = fields.String()


class AttachmentSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    sha256 = fields.String()


class AuthorSchema(Schema):
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    confidential = fields.Boolean(
        metadata={"description": "True when the identity is hidden from this reader"})


class TimelineEntrySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"example": "progress"})
    from_status = fields.Nested(StatusSchema, allow_none=True)
    to_status = fields.Nested(StatusSchema)
    note = fields.String(allow_none=True)
    public = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    opd = fields.String(allow_none=True)
    actor = fields.String(metadata={"description": "Staff readers only"})
    attachments = fields.List(fields.Nested(AttachmentSchema))


class MessageSummarySchema(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"example": "AE-2026-000123"})
    title = fields.String()
    status = fields.Nested(StatusSchema)
    opd = fields.Nested(RefSchema, allow_none=True)
    returned = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})


class MessageDetailSchema(MessageSummarySchema):
    body = fields.String()
    location = fields.String(allow_none=True)
    confidential = fields.Boolean()
    category = fields.Nested(RefSchema, allow_none=True)
    subcategory = fields.Nested(RefSchema, allow_none=True)
    resolution = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "Send back as `version` with a move"})
    author = fields.Nested(AuthorSchema)
    attachments = fields.List(fields.Nested(AttachmentSchema))
    timeline = fields.List(fields.Nested(TimelineEntrySchema))
    rating = fields.Dict(allow_none=True)
    allowed_moves = fields.List(fields.String())


class MessageListSchema(Schema):
    count = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    result = fields.List(fields.Nested(MessageSummarySchema))


class SubmitSchema(Schema):
    title = fields.String(required=True)
    body = fields.String(required=True)
    location = fields.String()
    confidential = fields.Boolean()


class MoveSchema(Schema):
    note = fields.String(metadata={"description": "forward, start, progress"})
    reason = fields.String(metadata={"description": "escalate, reject, return"})
    resolution = fields.String(metadata={"description": "resolve"})
    public = fields.Boolean(metadata={"description": "progress: false for an internal note"})
    category_id = fields.Integer(metadata={"description": "forward"})
    subcategory_id = fields.Integer(metadata={"description": "forward"})
    opd_id = fields.Integer(metadata={"description": "forward"})
    version = fields.Integer(metadata={"description": "The version you read; 409 if stale"})


class RateSchema(Schema):
    stars = fields.Integer(required=True, metadata={"minimum": 1, "maximum": 5})
    comment = fields.String()


class ErrorSchema(Schema):
    message = fields.String()


SCHEMAS = (
    MessageListSchema, MessageDetailSchema, SubmitSchema, MoveSchema, RateSchema, ErrorSchema,
)

__all__ = ["SCHEMAS", "dump_detail", "dump_summary", "iso"]

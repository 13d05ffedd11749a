"""The API's contract: what a request may carry and what an answer holds.

The same classes validate every query string and body, serialise every answer and
generate the OpenAPI document (`/api/v1/_openapi`). In the document a class is named
without its `Schema` suffix (`MessageDetailSchema` is `MessageDetail`).

Which fields a reader gets is decided by `app.policy` (an operator never gets the
identity behind a confidential message; a citizen never gets internal notes or
staff names); the `Seen*` fields ask it for each reader.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    missing,
    pre_dump,
    validates_schema,
)

from .. import policy
from ..models import Status
from ..services.deadlines import CLOCKS
from ..timeutil import utcnow
from ..workflow import MAX_COMMENT, MAX_LOCATION, MAX_TEXT, MAX_TITLE, Move, allowed_moves
from .fields import (
    Choice,
    Day,
    Files,
    Flag,
    LocalTime,
    SeenList,
    SeenNested,
    SeenString,
    Text,
    Whole,
    Word,
)


class Input(Schema):
    """A request's fields. Query strings and forms are text: `text_input=True`."""

    error_messages = {"unknown": _l("Unknown field."), "type": _l("Invalid input type.")}

    def __init__(self, *, text_input=False, **kwargs):
        super().__init__(**kwargs)
        self.text_input = text_input


# --- query strings ------------------------------------------------------------------

class MessageListQuerySchema(Input):
    class Meta:
        unknown = EXCLUDE  # e.g. `_l_`, or a client's cache buster

    status = Word([s.value for s in Status])
    overdue = fields.Boolean(
        truthy={"true"}, falsy={"false"},
        metadata={"description": "true: only messages whose current stage is overdue (the "
                                 "\"Terlambat\" tab); false: only the others"})
    date_from = Day(metadata={"description": "First local (WITA) day of submission"})
    date_to = Day(metadata={"description": "Last local (WITA) day of submission"})
    page = Whole(load_default=1)
    page_size = Whole(1, "FAB_API_MAX_PAGE_SIZE", load_default=20)

    @validates_schema
    def _first_day_first(self, data, **_kwargs):
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise ValidationError(_("The last day must not be before the first day."),
                                  "date_to")


# --- bodies -----------------------------------------------------------------------------

class WithFiles(Input):
    attachments = Files("MAX_ATTACHMENTS", metadata={"description": "Files to attach"})


class SubmitSchema(Input):
    title = Text(MAX_TITLE, required=True)
    body = Text(MAX_TEXT, required=True)
    location = Text(MAX_LOCATION)
    confidential = Flag(load_default=False, metadata={
        "description": "Hide the author's identity from the OPD's operators"})


class SubmitFormSchema(WithFiles, SubmitSchema):
    pass


class RateSchema(Input):
    stars = Whole(1, 5, required=True)
    comment = Text(MAX_COMMENT)


class MoveSchema(Input):
    version = Whole(metadata={"description": "The `version` you read; 409 if it is stale"})


class ForwardSchema(MoveSchema):
    category_id = Whole(required=True)
    subcategory_id = Whole(required=True, metadata={"description": "Of the category"})
    opd_id = Whole(required=True)
    note = Text(MAX_TEXT, metadata={"description": "For the OPD"})


class ReasonSchema(MoveSchema):
    reason = Text(MAX_TEXT, required=True)


class StartSchema(MoveSchema):
    note = Text(MAX_TEXT)


class ProgressSchema(MoveSchema):
    note = Text(MAX_TEXT, required=True)
    public = Flag(load_default=True, metadata={
        "description": "false: an internal note the citizen does not see"})


class ProgressFormSchema(WithFiles, ProgressSchema):
    pass


class ResolveSchema(MoveSchema):
    resolution = Text(MAX_TEXT, required=True)


class ResolveFormSchema(WithFiles, ResolveSchema):
    pass


class AskSchema(MoveSchema):
    question = Text(MAX_TEXT, required=True)


class InstructSchema(MoveSchema):
    instruction = Text(MAX_TEXT, required=True)


class SenderTextSchema(MoveSchema):
    text = Text(MAX_TEXT, required=True)


class SenderTextFormSchema(WithFiles, SenderTextSchema):
    pass


class WithdrawSchema(MoveSchema):
    reason = Text(MAX_TEXT)


# --- answers ------------------------------------------------------------------------

class Answer(Schema):
    """Every field is in every answer (the document says `required`), except those named
    in `optional`, which some readers do not get."""

    optional = ()

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = field_name not in self.optional


class StatusSchema(Answer):
    code = fields.String(attribute="value", validate=Choice([s.value for s in Status]))
    label = fields.String(metadata={"example": "Diteruskan ke OPD"})

    @pre_dump
    def _as_status(self, value, **_kwargs):
        return Status(value)


class RefSchema(Answer):
    id = fields.Integer()
    name = fields.String()


class OpdRefSchema(RefSchema):
    short_name = fields.String()


class AttachmentSchema(Answer):
    id = fields.Integer()
    name = fields.String(attribute="original_name")
    size = fields.Integer()
    content_type = fields.String()
    sha256 = fields.String()


class AuthorSchema(Answer):
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    confidential = fields.Boolean(
        metadata={"description": "True when the identity is hidden from this reader"})


class RatingSchema(Answer):
    stars = fields.Integer()
    comment = fields.String(allow_none=True)


def _actor(reader, change):
    # Citizens learn which office acted, not which officer.
    if not policy.is_staff(reader):
        return missing
    return policy.actor_name(reader, change) or None


class TimelineEntrySchema(Answer):
    optional = ("actor",)

    id = fields.Integer()
    kind = fields.String(validate=Choice([m.value for m in Move]))
    from_status = fields.Nested(StatusSchema, allow_none=True)
    to_status = fields.Nested(StatusSchema)
    note = SeenString(view=policy.visible_note, allow_none=True)
    public = fields.Boolean()
    created_at = LocalTime()
    opd = fields.String(attribute="opd.short_name", allow_none=True, dump_default=None)
    actor = SeenString(view=_actor, allow_none=True,
                       metadata={"description": "Staff readers only"})
    attachments = fields.List(fields.Nested(AttachmentSchema))


class MessageSummarySchema(Answer):
    """One row of a list: no identity, no body."""

    id = fields.Integer()
    code = fields.String(metadata={"example": "AE-2026-000123"})
    title = fields.String()
    status = fields.Nested(StatusSchema)
    opd = fields.Nested(OpdRefSchema, allow_none=True)
    returned = fields.Boolean()
    reopen_count = fields.Integer(metadata={"description": "How often the sender reopened it"})
    auto_closed = fields.Boolean(
        metadata={"description": "Finished because a question went unanswered"})
    created_at = LocalTime()
    updated_at = LocalTime()
    due_stage = fields.String(
        attribute="due_clock", allow_none=True, validate=Choice(list(CLOCKS)),
        metadata={"description": "The stage whose clock runs: triage, response (the OPD's "
                                 "first response) or resolution; null when none runs"})
    due_at = LocalTime(allow_none=True, metadata={
        "description": "When the current stage is due (end of a working day, WITA); null "
                       "when no clock runs or it waits for the citizen"})
    overdue = fields.Function(
        lambda message: message.due_at is not None and message.due_at < utcnow(),
        metadata={"description": "True when the current stage's due time has passed"})


def _allowed_moves(reader, message):
    return sorted(str(move) for move in allowed_moves(reader, message))


class MessageDetailSchema(MessageSummarySchema):
    """The whole message as the reader may see it."""

    body = fields.String()
    location = fields.String(allow_none=True)
    confidential = fields.Boolean()
    category = fields.Nested(RefSchema, allow_none=True)
    subcategory = fields.Nested(RefSchema, allow_none=True)
    resolution = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back as `version` with a move"})
    author = SeenNested(AuthorSchema, view=policy.author_details)
    attachments = fields.List(fields.Nested(AttachmentSchema))
    timeline = SeenList(fields.Nested(TimelineEntrySchema), view=policy.timeline_for)
    rating = fields.Nested(RatingSchema, allow_none=True)
    allowed_moves = SeenList(fields.String(validate=Choice([m.value for m in Move])),
                             view=_allowed_moves)


class MessageListSchema(Answer):
    """A page of the messages the caller may see, newest first."""

    count = fields.Integer(metadata={"description": "Messages matching, on all pages"})
    page = fields.Integer()
    page_size = fields.Integer()
    result = fields.List(fields.Nested(MessageSummarySchema))


class ErrorSchema(Answer):
    optional = ("errors",)

    message = fields.String(metadata={"description": "For people, in the caller's language"})
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "400 only: what is wrong with each field"})

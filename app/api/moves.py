"""The moves over REST, one declaration each: the Admins' triage (forward, escalate,
reject), the OPD operators' work (start, progress, return, resolve), questions to the
sender (ask), the Super Admin's instruction to the OPD (instruct), and the sender's
moves after sending (answer, add information, reopen, appeal, withdraw).

Each passes its validated body to its `app.workflow` move and answers the message as
the caller may see it afterwards. Who may make which move on which message is the
workflow's `RULES`; a refusal's kind sets its status (`errors.REFUSAL_STATUS`).
"""

from .. import workflow
from ..extensions import db
from ..models import Category, Opd, SubCategory
from ..services.uploads import prepare_all
from .contract import writing
from .schemas import (
    AskSchema,
    ForwardSchema,
    InstructSchema,
    MessageDetailSchema,
    ProgressFormSchema,
    ProgressSchema,
    ReasonSchema,
    ResolveFormSchema,
    ResolveSchema,
    SenderTextFormSchema,
    SenderTextSchema,
    StartSchema,
    WithdrawSchema,
)

# Body fields naming a row, and the workflow argument that takes the row.
_ROWS = {"category_id": ("category", Category), "subcategory_id": ("subcategory", SubCategory),
         "opd_id": ("opd", Opd)}


def _arguments(body):
    """A move's body as its workflow function's keyword arguments: rows for ids (None
    for an id no row has, which the workflow refuses), checked files for attachments,
    `version` as the expected version."""
    arguments = {"expected_version": body.pop("version", None)}
    if "attachments" in body:
        arguments["uploads"] = prepare_all(body.pop("attachments"))
    for field, (name, model) in _ROWS.items():
        if field in body:
            arguments[name] = db.session.get(model, body.pop(field))
    return {**arguments, **body}


def move_endpoint(name, schema, workflow_move, *, summary, path=None, form=None, refusals=(409,)):
    """The endpoint `POST /<pk>/<path>` (method `name`) that makes `workflow_move`. Every
    move may meet a stale `version` or a status it does not fit (409)."""

    def make(self, user, message, body):
        workflow_move(user, message, **_arguments(body))
        return message

    make.__name__ = make.__qualname__ = name  # FAB finds the permission by this name
    return writing(f"/<int:pk>/{path or name}", summary=summary, answer=MessageDetailSchema,
                   body=schema, form=form, refusals=refusals)(make)


class StaffMoves:
    """The move endpoints of `MessageApi` (a mixin: one resource, one permission view)."""

    permissions = {
        "forward": "triage", "escalate": "triage", "reject": "triage",
        "start": "process", "progress": "process", "return_message": "process",
        "resolve": "process", "ask": "ask", "instruct": "instruct",
    }

    forward = move_endpoint(
        "forward", ForwardSchema, workflow.forward, refusals=(409, 422),
        summary="Classify and forward (or re-forward) to an OPD: Admin; a Super Admin for "
                "escalated messages")
    escalate = move_endpoint(
        "escalate", ReasonSchema, workflow.escalate,
        summary="Escalate a new message to a Super Admin, with a reason (Admin)")
    reject = move_endpoint(
        "reject", ReasonSchema, workflow.reject,
        summary="Reject, with a reason the citizen will read (Admin, Super Admin)")
    start = move_endpoint(
        "start", StartSchema, workflow.start,
        summary="Take the message up, with an optional note (the OPD's Operator)")
    progress = move_endpoint(
        "progress", ProgressSchema, workflow.progress, form=ProgressFormSchema,
        summary="A progress update, or an internal note with `public: false`; a multipart "
                "form may attach files (Operator)")
    return_message = move_endpoint(
        "return_message", ReasonSchema, workflow.return_to_triage, path="return",
        summary="Not this OPD's business: back to the Admins with a reason (Operator)")
    resolve = move_endpoint(
        "resolve", ResolveSchema, workflow.resolve, form=ResolveFormSchema,
        summary="Resolve with the resolution text; a multipart form may attach supporting "
                "files (Operator)")
    ask = move_endpoint(
        "ask", AskSchema, workflow.ask,
        summary="Ask the sender a question: the message waits (`menunggu`) for the answer "
                "(Admin before forwarding, Super Admin while escalated, the OPD's Operator)")
    instruct = move_endpoint(
        "instruct", InstructSchema, workflow.instruct,
        summary="A staff-only instruction to the OPD of a forwarded message, e.g. an "
                "overdue one (Super Admin); its status does not change")


class SenderMoves:
    """The sender's moves after sending (a mixin of `MessageApi`, permission `post`)."""

    permissions = dict.fromkeys(("answer", "add_info", "reopen", "appeal", "withdraw"), "post")

    answer = move_endpoint(
        "answer", SenderTextSchema, workflow.answer, form=SenderTextFormSchema,
        summary="The author answers the question asked (`menunggu`); a multipart form may "
                "attach files. The message returns to where it was")
    add_info = move_endpoint(
        "add_info", SenderTextSchema, workflow.add_info, form=SenderTextFormSchema,
        summary="The author adds information to an open message; a multipart form may "
                "attach files")
    reopen = move_endpoint(
        "reopen", ReasonSchema, workflow.reopen,
        summary="The author reopens a resolution (at most REOPEN_LIMIT times, within "
                "REOPEN_DAYS, until rated): back to the OPD as `diproses`")
    appeal = move_endpoint(
        "appeal", ReasonSchema, workflow.appeal,
        summary="The author appeals an Admin's rejection once, within APPEAL_DAYS: to the "
                "Super Admin (`eskalasi`)")
    withdraw = move_endpoint(
        "withdraw", WithdrawSchema, workflow.withdraw,
        summary="The author withdraws a message not yet triaged (`baru`): `dibatalkan`")

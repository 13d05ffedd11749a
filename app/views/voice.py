"""The sender's moves on their message page: answer a question, add information,
reopen a resolution, appeal a rejection, withdraw. Each is a POST route of
`CitizenView` (permission `can_<move>`) that loads the person's own message (anyone
else's is 404), validates its form and makes the move through the workflow; a refusal
shows the page again with the form as posted (400 bad input, 409 refused move).
"""

from dataclasses import dataclass

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l

from .. import workflow
from ..extensions import csrf_checked_by_form
from ..services import windows
from ..services.access import get_own_message_or_404
from ..workflow import Move
from ..workflow.conditions import last_change
from .forms import AnswerForm, AppealForm, InfoForm, ReopenForm, WithdrawForm
from .messages import uploads_or_error


@dataclass(frozen=True)
class VoiceMove:
    move: Move
    form: type
    make: object  # the workflow's function
    fields: object  # form -> the move's keyword arguments
    done: object  # the flash message when done
    files: bool = False


def _text(form):
    return {"text": form.text.data}


def _reason(form):
    return {"reason": form.reason.data}


VOICE_MOVES = {
    "answer": VoiceMove(Move.ANSWER, AnswerForm, workflow.answer, _text,
                        _l("Thank you: your answer was sent to the officer who asked."),
                        files=True),
    "add_info": VoiceMove(Move.ADD_INFO, InfoForm, workflow.add_info, _text,
                          _l("Your information was added to the message."), files=True),
    "reopen": VoiceMove(Move.REOPEN, ReopenForm, workflow.reopen, _reason,
                        _l("The message was reopened and is back with the OPD.")),
    "appeal": VoiceMove(Move.APPEAL, AppealForm, workflow.appeal, _reason,
                        _l("Your appeal was sent: a Super Admin will decide.")),
    "withdraw": VoiceMove(Move.WITHDRAW, WithdrawForm, workflow.withdraw, _reason,
                          _l("Your message was withdrawn.")),
}


def voice_forms(user, message, posted):
    """The forms of the moves `user` may make on `message` now, by name."""
    moves = workflow.allowed_moves(user, message)
    forms = {}
    for name, spec in VOICE_MOVES.items():
        if spec.move in moves:
            forms[name] = posted.get(name) or spec.form(prefix=name)
            forms[name].version.data = message.version
    return forms


def voice_deadlines(message, forms):
    """Until when the sender may make the moves offered in `forms`, by name."""
    until = {}
    if message.asked_at is not None:
        until["answer"] = windows.answer_deadline(message.asked_at)
    if "reopen" in forms:
        until["reopen"] = windows.reopen_window_ends(last_change(message, Move.RESOLVE)
                                                     .created_at)
    if "appeal" in forms:
        until["appeal"] = windows.appeal_window_ends(last_change(message, Move.REJECT)
                                                     .created_at)
    return until


def voice_route(name):
    spec = VOICE_MOVES[name]

    def route(self, pk):
        message = get_own_message_or_404(pk, detail=True)
        form = spec.form(prefix=name)
        if not form.validate_on_submit():
            return self._refused(message, name, form, 400)
        arguments = spec.fields(form)
        if spec.files:
            uploads = uploads_or_error(form)
            if uploads is None:
                return self._refused(message, name, form, 400)
            arguments["uploads"] = uploads
        try:
            spec.make(g.user, message, expected_version=form.version.data, **arguments)
        except workflow.WorkflowError as error:
            flash(str(error), "danger")
            return self._render_detail(message, **{name: form}), 409
        flash(str(spec.done), "success")
        return redirect(url_for(".show", pk=message.id))

    route.__name__ = name
    route._permission_name = name
    return expose(f"/{name}/<pk>", methods=["POST"])(has_access(csrf_checked_by_form(route)))


class VoiceRoutes:
    """A mixin of `CitizenView`: one route per move of `VOICE_MOVES`."""

    answer = voice_route("answer")
    add_info = voice_route("add_info")
    reopen = voice_route("reopen")
    appeal = voice_route("appeal")
    withdraw = voice_route("withdraw")

    def _refused(self, message, name, form, status):
        flash(str(_l("Please correct the marked fields.")), "danger")
        return self._render_detail(message, **{name: form}), status

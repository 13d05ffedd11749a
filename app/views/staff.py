"""What the Admins' and Operators' message screens share: a detail page whose move
forms come from a table, and one way to handle a posted move.

A view declares `move_forms` (each form's name, the moves that show it, how it is
built) and one `move_route(...)` per move. Every route then loads the message in
the person's scope, validates the form, makes the move through the workflow and
answers like every detail page: refused → the page again with the form as posted
(400 for bad input, 409 for a refused move), done → a redirect.
"""

from dataclasses import dataclass

from flask import flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from .. import workflow
from ..extensions import csrf_checked_by_form
from ..models import Move
from ..services.access import get_message_or_404
from .forms import QuestionForm
from .messages import MessageListView, MessageScopeFilter, uploads_or_error


@dataclass(frozen=True)
class MoveForm:
    """One form of a staff detail page."""

    moves: frozenset  # the form is shown when the person may make one of these
    build: object  # build(message) -> a new form


def move_route(name, move, *, form=None, **handling):
    """A `POST /<name>/<pk>` route of a staff view making `move` with the form `form`
    (default: `name`); its permission is `can_<name>`. `handling`: see `_post_move`."""
    form = form or name

    def route(self, pk):
        return self._post_move(pk, form, move, **handling)

    route.__name__ = form
    route._permission_name = name
    # The move's form checks its CSRF token: an expired one shows the page again with
    # the text typed, like any refused form (see `_post_move`).
    route = csrf_checked_by_form(route)
    return expose(f"/{name}/<pk>", methods=["POST"])(has_access(route))


def ask_route():
    """"Minta klarifikasi", on the inbox (Admins, Super Admins) and the OPD's screens."""
    return move_route(
        "ask", workflow.ask, fields=lambda form: {"question": form.question.data},
        done=lambda _form: _("The question was sent to the sender; the message waits for "
                             "the answer."),
    )


ASK_FORM = MoveForm(frozenset({Move.ASK}), lambda _m: QuestionForm(prefix="ask"))


class StaffMessageView(MessageListView):
    base_filters = [["id", MessageScopeFilter, lambda: None]]
    detail_template = None
    move_forms = {}

    def _render_detail(self, message, **posted):
        moves = workflow.allowed_moves(g.user, message)
        forms = {}
        for name, spec in self.move_forms.items():
            if spec.moves & moves:
                forms[name] = posted.get(name) or spec.build(message)
                forms[name].version.data = message.version
        self._adjust_forms(forms, moves)
        return self._detail_page(self.detail_template, message, forms=forms)

    def _adjust_forms(self, forms, moves):
        """Hook: narrow a form's choices to what the person may do now."""

    def _post_move(self, pk, name, move, *, fields, done, files=None, back_to_list=False):
        """Handle a posted move form. `fields(form)` gives the move's arguments,
        `done(form)` the success message; `files` names the form's upload field."""
        message = get_message_or_404(pk)
        form = self.move_forms[name].build(message)
        if not form.validate_on_submit():
            return self._refused(message, **{name: form})
        arguments = fields(form)
        if files is not None:
            uploads = uploads_or_error(form, files)
            if uploads is None:
                return self._refused(message, **{name: form})
            arguments["uploads"] = uploads
        try:
            move(g.user, message, expected_version=form.version.data, **arguments)
        except workflow.WorkflowError as error:
            flash(str(error), "danger")
            return self._render_detail(message, **{name: form}), 409
        flash(done(form), "success")
        if back_to_list:
            # The message has left this OPD: its detail is no longer ours to see.
            return redirect(url_for(".list"))
        return redirect(url_for(".show", pk=message.id))

    def _refused(self, message, **forms):
        flash(_("Please correct the marked fields."), "danger")
        return self._render_detail(message, **forms), 400


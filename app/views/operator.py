"""The OPD Operator's screens: their OPD's messages only, the detail with the
citizen's message and files, and the start / update / return / resolve forms.
A confidential message shows "identity kept confidential" instead of the author."""

from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import workflow
from ..models import Status
from ..services.access import get_message_or_404
from ..workflow import Move
from .forms import ProgressForm, ReasonForm, ResolveForm, StartForm
from .messages import OVERDUE_TAB
from .staff import ASK_FORM, MoveForm, StaffMessageView, ask_route, move_route


def _progress_done(form):
    if form.visibility.data == "public":
        return _("The update was posted.")
    return _("The internal note was saved.")


class OperatorView(StaffMessageView):
    route_base = "/opd"
    include_route_methods = {"list", "show", "start", "progress", "return_", "resolve",
                             "ask"}
    list_title = _l("OPD messages")
    show_title = _l("Message")
    detail_template = "messages/operator_show.html"
    status_tabs = (Status.DITERUSKAN, Status.DIPROSES, Status.MENUNGGU, Status.SELESAI)
    # No author column: the list never needs to know who wrote a message.
    list_columns = ["code", "title", "status", "category", "subcategory", "created_at",
                    "updated_at", "due_at"]
    order_columns = ["code", "created_at", "updated_at", "due_at"]
    extra_tabs = (OVERDUE_TAB,)
    search_columns = ["code", "title", "status", "category", "subcategory", "created_at"]
    move_forms = {
        "start": MoveForm(frozenset({Move.START}), lambda _m: StartForm(prefix="start")),
        "progress": MoveForm(frozenset({Move.PROGRESS, Move.NOTE}),
                             lambda _m: ProgressForm(prefix="progress")),
        "return_": MoveForm(frozenset({Move.RETURN}), lambda _m: ReasonForm(prefix="return")),
        "resolve": MoveForm(frozenset({Move.RESOLVE}), lambda _m: ResolveForm(prefix="resolve")),
        "ask": ASK_FORM,
    }

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_detail(get_message_or_404(pk, detail=True))

    start = move_route(
        "start", workflow.start, fields=lambda form: {"note": form.note.data},
        done=lambda _form: _("The message is now in progress."),
    )
    progress = move_route(
        "progress", workflow.progress, files="files", done=_progress_done,
        fields=lambda form: {"note": form.note.data,
                             "public": form.visibility.data == "public"},
    )
    return_ = move_route(
        "return", workflow.return_to_triage, form="return_", back_to_list=True,
        fields=lambda form: {"reason": form.reason.data},
        done=lambda _form: _("The message was returned to the Admins."),
    )
    resolve = move_route(
        "resolve", workflow.resolve, files="files",
        fields=lambda form: {"resolution": form.resolution.data},
        done=lambda _form: _("The message is resolved; the citizen has been told."),
    )
    ask = ask_route()

    def _adjust_forms(self, forms, moves):
        if "progress" in forms and Move.PROGRESS not in moves:
            # Before the work starts only internal notes are possible.
            progress = forms["progress"]
            progress.visibility.choices = [
                c for c in progress.visibility.choices if c.value == "internal"
            ]
            progress.visibility.data = "internal"


def register(appbuilder):
    appbuilder.add_view(
        OperatorView, "Pesan OPD", icon="fa-briefcase", label=_l("OPD messages"),
        category="Pesan", category_label=_l("Messages"), category_icon="fa-envelope",
    )

"""The OPD Operator's screens: their OPD's messages only, the detail with the
citizen's message and files, and the start / update / return / resolve forms.
A confidential message shows "identity kept confidential" instead of the author."""

from flask import g
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import workflow
from ..models import Status
from ..services.access import get_message_or_404
from ..workflow import Move
from .forms import ProgressForm, ReasonForm, ResolveForm, StartForm
from .messages import MessageListView, MessageScopeFilter, uploads_or_error


class OperatorView(MessageListView):
    route_base = "/opd"
    include_route_methods = {"list", "show", "start", "progress", "return_", "resolve"}
    list_title = _l("OPD messages")
    show_title = _l("Message")
    # An operator without an OPD matches nothing (see policy.message_scope).
    base_filters = [["id", MessageScopeFilter, lambda: None]]
    status_tabs = (Status.DITERUSKAN, Status.DIPROSES, Status.SELESAI)
    # No author column: the list never needs to know who wrote a message.
    list_columns = ["code", "title", "status", "category", "subcategory", "created_at",
                    "updated_at"]
    search_columns = ["code", "title", "status", "category", "subcategory", "created_at"]

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_detail(get_message_or_404(pk))

    @expose("/start/<pk>", methods=["POST"])
    @has_access
    def start(self, pk):
        message = get_message_or_404(pk)
        form = StartForm(prefix="start")
        if not form.validate_on_submit():
            return self._refused(message, start=form)
        return self._move(message, {"start": form}, workflow.start,
                          note=form.note.data, expected_version=form.version.data,
                          done=_("The message is now in progress."))

    @expose("/progress/<pk>", methods=["POST"])
    @has_access
    def progress(self, pk):
        message = get_message_or_404(pk)
        form = ProgressForm(prefix="progress")
        if not form.validate_on_submit():
            return self._refused(message, progress=form)
        uploads = uploads_or_error(form, "files")
        if uploads is None:
            return self._refused(message, progress=form)
        public = form.visibility.data == "public"
        return self._move(message, {"progress": form}, workflow.progress,
                          note=form.note.data, public=public, uploads=uploads,
                          expected_version=form.version.data,
                          done=_("The update was posted.") if public
                          else _("The internal note was saved."))

    @expose("/return/<pk>", methods=["POST"])
    @has_access
    @permission_name("return")
    def return_(self, pk):
        message = get_message_or_404(pk)
        form = ReasonForm(prefix="return")
        if not form.validate_on_submit():
            return self._refused(message, return_=form)
        return self._move(message, {"return_": form}, workflow.return_to_triage,
                          reason=form.reason.data, expected_version=form.version.data,
                          done=_("The message was returned to the Admins."),
                          back_to_list=True)

    @expose("/resolve/<pk>", methods=["POST"])
    @has_access
    def resolve(self, pk):
        message = get_message_or_404(pk)
        form = ResolveForm(prefix="resolve")
        if not form.validate_on_submit():
            return self._refused(message, resolve=form)
        uploads = uploads_or_error(form, "files")
        if uploads is None:
            return self._refused(message, resolve=form)
        return self._move(message, {"resolve": form}, workflow.resolve,
                          resolution=form.resolution.data, uploads=uploads,
                          expected_version=form.version.data,
                          done=_("The message is resolved; the citizen has been told."))

    def _render_detail(self, message, **posted):
        moves = workflow.allowed_moves(g.user, message)
        factories = {
            "start": (Move.START in moves, StartForm),
            "progress": (bool({Move.PROGRESS, Move.NOTE} & moves), ProgressForm),
            "return_": (Move.RETURN in moves, ReasonForm),
            "resolve": (Move.RESOLVE in moves, ResolveForm),
        }
        forms = {}
        for name, (allowed, form_class) in factories.items():
            if allowed:
                forms[name] = posted.get(name) or form_class(prefix=name.rstrip("_"))
                forms[name].version.data = message.version
        if "progress" in forms and Move.PROGRESS not in moves:
            # Before the work starts only internal notes are possible.
            forms["progress"].visibility.choices = [
                c for c in forms["progress"].visibility.choices if c.value == "internal"
            ]
            forms["progress"].visibility.data = "internal"
        return self._detail_page("messages/operator_show.html", message, forms=forms)


def register(appbuilder):
    appbuilder.add_view(
        OperatorView, "Pesan OPD", icon="fa-briefcase", label=_l("OPD messages"),
        category="Pesan", category_label=_l("Messages"), category_icon="fa-envelope",
    )

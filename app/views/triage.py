"""The Admins' screens: the inbox (FAB list, new messages first), the detail
with classify+forward, escalate and reject, and the Super Admin's escalation queue."""

from flask import g
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import workflow
from ..models import Status
from ..services.access import get_message_or_404
from ..workflow import Move
from .forms import ForwardForm, ReasonForm
from .messages import STATUS_ARG, MessageListView, MessageScopeFilter


class TriageView(MessageListView):
    route_base = "/triase"
    include_route_methods = {"list", "show", "forward", "escalate", "reject"}
    list_title = _l("Inbox")
    show_title = _l("Message")
    base_filters = [["id", MessageScopeFilter, lambda: None]]
    default_status = Status.BARU
    list_columns = ["code", "title", "status", "returned", "category", "opd", "created_at"]
    search_columns = [
        "code", "title", "status", "returned", "category", "subcategory", "opd", "created_at",
    ]
    order_columns = ["code", "title", "created_at"]

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_detail(get_message_or_404(pk))

    @expose("/forward/<pk>", methods=["POST"])
    @has_access
    def forward(self, pk):
        """Classify and forward; also re-forward, and the Super Admin's decision."""
        message = get_message_or_404(pk)
        form = ForwardForm(message=message)
        if not form.validate_on_submit():
            return self._refused(message, forward_form=form)
        category, subcategory, opd = form.chosen()
        return self._move(
            message, {"forward_form": form}, workflow.forward,
            category=category, subcategory=subcategory, opd=opd, note=form.note.data,
            expected_version=form.version.data,
            done=_("Forwarded to %(opd)s.", opd=opd.name),
        )

    @expose("/escalate/<pk>", methods=["POST"])
    @has_access
    def escalate(self, pk):
        message = get_message_or_404(pk)
        form = ReasonForm(prefix="escalate")
        if not form.validate_on_submit():
            return self._refused(message, escalate_form=form)
        return self._move(
            message, {"escalate_form": form}, workflow.escalate,
            reason=form.reason.data, expected_version=form.version.data,
            done=_("Escalated: a Super Admin will decide."),
        )

    @expose("/reject/<pk>", methods=["POST"])
    @has_access
    def reject(self, pk):
        message = get_message_or_404(pk)
        form = ReasonForm(prefix="reject")
        if not form.validate_on_submit():
            return self._refused(message, reject_form=form)
        return self._move(
            message, {"reject_form": form}, workflow.reject,
            reason=form.reason.data, expected_version=form.version.data,
            done=_("The message was rejected; the citizen is told the reason."),
        )

    def _render_detail(self, message, forward_form=None, escalate_form=None,
                       reject_form=None):
        moves = workflow.allowed_moves(g.user, message)
        forms = {}
        if Move.FORWARD in moves:
            forms["forward"] = forward_form or ForwardForm(message=message)
        if Move.ESCALATE in moves:
            forms["escalate"] = escalate_form or ReasonForm(prefix="escalate")
        if Move.REJECT in moves:
            forms["reject"] = reject_form or ReasonForm(prefix="reject")
        for form in forms.values():
            form.version.data = message.version
        return self._detail_page("messages/triage_show.html", message, forms=forms)


def register(appbuilder):
    appbuilder.add_view(
        TriageView, "Kotak Masuk", icon="fa-inbox", label=_l("Inbox"),
        category="Pesan", category_label=_l("Messages"), category_icon="fa-envelope",
    )
    # The escalation queue is the inbox filtered on `eskalasi`; only a Super
    # Admin holds its menu item (and only a Super Admin may decide there).
    appbuilder.add_link(
        "Eskalasi", href=f"/triase/list/?{STATUS_ARG}={Status.ESKALASI.value}",
        icon="fa-level-up", label=_l("Escalations"), category="Pesan",
    )

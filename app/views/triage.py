"""The Admins' screens: the inbox (FAB list, new messages first), the detail
with classify+forward, escalate and reject, and the Super Admin's escalation queue."""

from flask import g
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import policy, workflow
from ..models import Status
from ..services.access import get_message_or_404
from ..workflow import Move
from .forms import ForwardForm, InstructForm, ReasonForm
from .messages import FLAGGED_TAB, OVERDUE_TAB, STATUS_ARG
from .staff import ASK_FORM, MoveForm, StaffMessageView, ask_route, move_route


def _forward_arguments(form):
    category, subcategory, opd = form.chosen()
    return {"category": category, "subcategory": subcategory, "opd": opd,
            "note": form.note.data}


def _reason(form):
    return {"reason": form.reason.data}


class TriageView(StaffMessageView):
    route_base = "/triase"
    include_route_methods = {"list", "show", "forward", "escalate", "reject", "instruct",
                             "ask"}
    list_title = _l("Inbox")
    show_title = _l("Message")
    detail_template = "messages/triage_show.html"
    default_status = Status.BARU
    list_columns = ["code", "title", "status", "returned", "category", "opd", "created_at",
                    "due_at"]
    search_columns = [
        "code", "title", "status", "returned", "category", "subcategory", "opd", "created_at",
    ]
    order_columns = ["code", "title", "created_at", "due_at"]
    extra_tabs = (OVERDUE_TAB, FLAGGED_TAB)

    def extra_tabs_for(self):
        # The flagged queue is the Super Admin's (who decides what happens next).
        return self.extra_tabs if policy.may_decide(g.user) else (OVERDUE_TAB,)
    move_forms = {
        "forward": MoveForm(frozenset({Move.FORWARD}),
                            lambda message: ForwardForm(message=message)),
        "escalate": MoveForm(frozenset({Move.ESCALATE}),
                             lambda _message: ReasonForm(prefix="escalate")),
        "reject": MoveForm(frozenset({Move.REJECT}),
                           lambda _message: ReasonForm(prefix="reject")),
        "ask": ASK_FORM,
        "instruct": MoveForm(frozenset({Move.INSTRUCT}),
                             lambda _message: InstructForm(prefix="instruct")),
    }

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_detail(get_message_or_404(pk, detail=True))

    forward = move_route(  # also re-forward, and the Super Admin's decision
        "forward", workflow.forward, fields=_forward_arguments,
        done=lambda form: _("Forwarded to %(opd)s.", opd=form.chosen()[2].name),
    )
    escalate = move_route(
        "escalate", workflow.escalate, fields=_reason,
        done=lambda _form: _("Escalated: a Super Admin will decide."),
    )
    instruct = move_route(
        "instruct", workflow.instruct,
        fields=lambda form: {"instruction": form.instruction.data},
        done=lambda _form: _("The instruction was sent to the OPD."),
    )
    reject = move_route(
        "reject", workflow.reject, fields=_reason,
        done=lambda _form: _("The message was rejected; the citizen is told the reason."),
    )
    ask = ask_route()


def register(appbuilder):
    appbuilder.add_view(
        TriageView, "Kotak Masuk", icon="fa-inbox", label=_l("Inbox"),
        category="Pesan", category_label=_l("Messages"), category_icon="fa-envelope",
    )
    # The escalation queue is the inbox's `eskalasi` tab; only a Super Admin holds
    # its menu item (and only a Super Admin may decide there).
    appbuilder.add_link(
        "Eskalasi", href=f"/triase/list/?{STATUS_ARG}={Status.ESKALASI.value}",
        icon="fa-level-up", label=_l("Escalations"), category="Pesan",
    )
    # The Super Admin's queue of long-overdue messages (flagged by the deadline sweep).
    appbuilder.add_link(
        "Terlambat", href=f"/triase/list/?{STATUS_ARG}={FLAGGED_TAB.value}",
        icon="fa-clock-o", label=_l("Long overdue"), category="Pesan",
    )

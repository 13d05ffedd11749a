"""The landing page. Visitors and citizens: what the service is, how it works, this
year's public figures and the way in (lean layout); a citizen also sees their own
counts. Staff: their own counts, in Flask-AppBuilder's layout."""

from flask import g
from flask_appbuilder import IndexView, expose
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..models import Message, Status
from ..policy import audience as policy_audience
from ..policy import message_scope, sees_only_own
from ..services.figures import figures_generation, public_figures
from .kept_pages import kept_page
from .layout import uses_lean_layout

# A citizen's counts, the statement written once (SQLAlchemy reuses its compiled form).
_OWN_COUNTS = (select(Message.status, func.count(Message.id))
               .where(Message.author_id == bindparam("author_id"))
               .group_by(Message.status))


def status_counts(user):
    """{status: count} of the messages `user` may see: one grouped query."""
    if sees_only_own(user):
        rows = db.session.execute(_OWN_COUNTS, {"author_id": user.id})
    else:
        rows = db.session.execute(
            select(Message.status, func.count(Message.id))
            .where(message_scope(user))
            .group_by(Message.status)
        )
    counts = dict.fromkeys(Status, 0)
    for status, count in rows:
        counts[Status(status)] = count
    return counts


def _lists():
    """Per audience: the list its counts link to, and the statuses that list has tabs for."""
    from .citizen import CitizenView
    from .operator import OperatorView
    from .triage import TriageView

    return {
        "triage": ("TriageView.list", TriageView.status_tabs),
        "operator": ("OperatorView.list", OperatorView.status_tabs),
        "citizen": ("CitizenView.list", CitizenView.status_tabs),
    }


class HomeView(IndexView):
    index_template = "home.html"

    @expose("/")
    @kept_page(also=figures_generation)
    def index(self):
        audience = counts = list_endpoint = None
        statuses = ()
        if g.user is not None and g.user.is_authenticated:
            audience = policy_audience(g.user)
            if audience is not None:
                counts = status_counts(g.user)
                list_endpoint, statuses = _lists()[audience]
        context = {"audience": audience, "counts": counts, "statuses": statuses,
                   "list_endpoint": list_endpoint}
        if uses_lean_layout():
            return self.render_template(
                "public/home.html", figures=public_figures(),
                title=_("Aspirations and complaints of East Kalimantan"), **context)
        return self.render_template(self.index_template, appbuilder=self.appbuilder,
                                    title=_("Home"), **context)

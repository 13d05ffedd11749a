"""What the three message screens share: the FAB list with status tabs, the
status badge, local times, and the detail page as its reader may see it."""

from dataclasses import dataclass

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.exceptions import FABException
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..filters import format_local_date, format_local_datetime
from ..i18n import or_dash
from ..models import Message, Status
from ..policy import author_details, message_scope, timeline_for
from ..services.deadline_text import due_state, state_words
from ..services.uploads import UploadError, prepare_all
from ..timeutil import utcnow

# The status tab of a list is our own query argument, not one of FAB's filters:
# `?status=<code>`, or `?status=all` for every status.
STATUS_ARG = "status"
ALL_STATUSES = "all"


def status_badge(code):
    try:
        status = Status(code)
    except ValueError:
        return code
    # Colours in css/status.css (contrast at least 6:1).
    return Markup('<span class="status status-{}">{}</span>').format(status.value, status.label)


def returned_badge(returned):
    if not returned:
        return ""
    return Markup('<span class="status status-returned"><i class="fa fa-undo" aria-hidden="true">'
                  '</i> {}</span>').format(
        _l("Returned by OPD")
    )


def local_time(value):
    return escape(format_local_datetime(value))


def due_badge(due_at):
    """The current stage's due date and how it stands, in words (not colour alone)."""
    if due_at is None:
        return "—"
    kind, days = due_state(due_at)
    return Markup('<span class="due-date">{}</span> <span class="due due-{}">{}</span>').format(
        format_local_date(due_at), kind, state_words(kind, days))


@dataclass(frozen=True)
class ListTab:
    """A tab of a message list that is not a status: `where()` gives its condition,
    `order` its default order (when the person did not sort)."""

    value: str
    label: object
    where: object
    order: object = None


# Past their due time, soonest first; the Super Admin's queue of flagged messages.
OVERDUE_TAB = ListTab("terlambat", _l("Overdue"), lambda: Message.due_at < utcnow(),
                      Message.due_at.asc())
FLAGGED_TAB = ListTab("ditandai", _l("Long overdue"), lambda: Message.flagged_at.is_not(None),
                      Message.due_at.asc())


LABELS = {
    "code": _l("Code"),
    "title": _l("Title"),
    "status": _l("Status"),
    "returned": _l("Returned"),
    "category": _l("Category"),
    "subcategory": _l("Subcategory"),
    "opd": _l("OPD"),
    "created_at": _l("Sent"),
    "updated_at": _l("Last change"),
    "confidential": _l("Confidential"),
    "due_at": _l("Due"),
}


class MessageScopeFilter(BaseFilter):
    """FAB base filter: limits a list to the current user's messages (`policy`).

    FAB applies base filters to list, show, edit, delete and the REST API, but NOT to
    `@action`s or downloads: those load through `services.access` themselves.
    """

    name = "Message scope"
    arg_name = "scope"

    def apply(self, query, value):
        return query.filter(message_scope(g.user))


class StatusTabFilter(BaseFilter):
    """FAB base filter: the status of the tab being shown (none: every status).

    The value is a function of the request, called each time the list is queried."""

    name = "Status tab"
    arg_name = "status_tab"

    def apply(self, query, chosen_status):
        status = chosen_status()
        if isinstance(status, ListTab):
            query = query.filter(status.where())
            sorted_by_person = any(arg.startswith("_oc_") for arg in request.args)
            # FAB appends its own order after this one.
            return query if sorted_by_person else query.order_by(status.order)
        return query if status is None else query.filter(Message.status == status.value)


class MessageListView(ModelView):
    """A FAB list/detail of messages. Only `list`, `show` and the subclass's own
    forms are routed: FAB's add/edit/delete, `download/<filename>` and `@action`
    routes would bypass the workflow or the row filters.

    Subclasses declare who sees what with `base_filters`; the status tabs add one
    more base filter that follows `?status=`."""

    datamodel = SQLAInterface(Message)
    list_template = "messages/list.html"
    base_order = ("created_at", "desc")
    order_columns = ["code", "created_at", "updated_at"]
    page_size = 25
    label_columns = LABELS
    formatters_columns = {
        "status": status_badge,
        "returned": returned_badge,
        # Not classified or forwarded yet: a dash, not FAB's raw `None`.
        "category": or_dash,
        "subcategory": or_dash,
        "opd": or_dash,
        "created_at": local_time,
        "updated_at": local_time,
        "due_at": due_badge,
    }
    # Tabs above the list; `default_status` is the tab shown when no filter is set.
    status_tabs = tuple(Status)
    default_status = None
    # Tabs after the statuses' (ListTab); `extra_tabs_for()` may narrow them per person.
    extra_tabs = ()

    def extra_tabs_for(self):
        return self.extra_tabs

    def _tabs(self):
        return (*self.status_tabs, *self.extra_tabs_for())

    def __init__(self, **kwargs):
        self.base_filters = [*self.base_filters, ["status", StatusTabFilter, self.chosen_status]]
        super().__init__(**kwargs)

    def chosen_status(self):
        """The status whose tab is shown, or None for every status (also while the
        person searches with FAB's filters and has not picked a tab)."""
        value = request.args.get(STATUS_ARG)
        if value is None:
            searching = any(arg.startswith("_flt_") for arg in request.args)
            return None if searching else self.default_status
        if value == ALL_STATUSES:
            return None
        return next((s for s in self._tabs() if s.value == value), None)

    def _tab_value_is_known(self):
        value = request.args.get(STATUS_ARG)
        return value in (None, ALL_STATUSES) or any(s.value == value for s in self._tabs())

    def _back_to_the_list(self):
        """The unfiltered list, with a word on why the asked filter was dropped."""
        flash(_l("The list could not be filtered that way."), "warning")
        return redirect(url_for(".list"))

    @expose("/list/")
    @has_access
    def list(self):
        if not self._tab_value_is_known():
            return self._back_to_the_list()
        try:
            widgets = self._list()
        except FABException:
            return self._back_to_the_list()
        return self.render_template(
            self.list_template, title=self.list_title, widgets=widgets,
            status_tabs=self._status_tabs(),
        )

    def _detail_page(self, template, message, **context):
        """A message's detail page as the current user may see it (identity masked for
        operators of confidential messages, internal notes for staff only), titled
        with the message's title."""
        return self.render_template(
            template,
            title=message.title,
            message=message,
            author=author_details(g.user, message),
            timeline=timeline_for(g.user, message),
            **context,
        )

    def _status_tabs(self):
        current = self.chosen_status()
        tabs = [{
            "label": _l("All"),
            "url": url_for(".list", **{STATUS_ARG: ALL_STATUSES}),
            "active": current is None,
        }]
        for status in self._tabs():
            tabs.append({
                "label": status.label,
                "url": url_for(".list", **{STATUS_ARG: status.value}),
                "active": current == status,
            })
        return tabs


def uploads_or_error(form, field_name="files"):
    """The checked uploads of a form field, or None after putting the reason on the field."""
    field = getattr(form, field_name)
    try:
        return prepare_all(request.files.getlist(field.name))
    except UploadError as error:
        field.errors = [*field.errors, str(error)]
        return None

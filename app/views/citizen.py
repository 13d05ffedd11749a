"""The citizen's screens: Tambah Pesan, Pesan Saya, the detail with the public
timeline, and the rating. A citizen only ever reaches their own messages.

They are Flask-AppBuilder views (permissions, @has_access) drawn in the lean layout
with their own templates: Pesan Saya is one query of `services.access`, not FAB's
list widgets, and reads as cards on a phone.
"""

from flask import current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import workflow
from ..extensions import csrf_checked_by_form
from ..models import Status
from ..policy import is_citizen
from ..services import idempotency
from ..services.access import get_own_message_or_404, own_messages
from .forms import RATING_LABELS, MessageForm, RatingForm
from .kept_pages import kept_page
from .messages import MessageListView, uploads_or_error
from .voice import VoiceRoutes, voice_deadlines, voice_forms

PAGE_SIZE = 20


def _current_user_id():
    return g.user.id


def _page_number(value):
    """`?page=` as a page number from 1; anything else is the first page."""
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


class CitizenView(VoiceRoutes, MessageListView):
    route_base = "/pesan"
    include_route_methods = {"list", "show", "add", "rate", "answer", "add_info", "reopen",
                             "appeal", "withdraw"}
    list_title = _l("My messages")
    show_title = _l("Message")
    add_title = _l("Send a message")
    # "My data" comes from the session, never from the URL.
    base_filters = [["author_id", FilterEqualFunction, _current_user_id]]
    list_columns = ["code", "title", "status", "created_at", "updated_at"]
    search_columns = ["code", "title", "status", "created_at"]

    @expose("/list/")
    @has_access
    @kept_page
    def list(self):
        if not self._tab_value_is_known():
            return self._back_to_the_list()
        page = _page_number(request.args.get("page"))
        status = self.chosen_status()
        messages, total = own_messages(g.user, status, page, PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        arguments = {key: value for key, value in request.args.items() if key == "status"}
        return self.render_template(
            "citizen/list.html", title=self.list_title, messages=messages, total=total,
            status_tabs=self._status_tabs(), page=page, pages=pages, arguments=arguments,
            status=status,
        )

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    @kept_page
    def show(self, pk):
        return self._render_detail(get_own_message_or_404(pk, detail=True))

    @expose("/add", methods=["GET", "POST"])
    @has_access
    @csrf_checked_by_form  # an expired form comes back with the text typed
    @kept_page
    def add(self):
        form = MessageForm()
        if form.validate_on_submit():
            uploads = uploads_or_error(form)
            if uploads is not None:
                fields = {
                    "title": form.title.data, "body": form.body.data,
                    "location": form.location.data, "confidential": form.confidential.data,
                }
                once = None
                if form.once.data:
                    files = [upload.sha256 for upload in uploads]
                    once = (form.once.data, idempotency.fingerprint({**fields, "files": files}))
                try:
                    message, replayed = workflow.submit_once(g.user, once, uploads=uploads,
                                                             **fields)
                except workflow.WorkflowError as error:
                    flash(str(error), "danger")
                    form.fresh_token()
                else:
                    if replayed:
                        flash(_("This message was sent already; here it is."), "info")
                    else:
                        flash(_("Your message has been sent. Its tracking code is %(code)s; "
                                "we have also emailed it to you.", code=message.code), "success")
                    return redirect(url_for(".show", pk=message.id))
        elif form.is_submitted():
            flash(_("Please correct the marked fields."), "danger")
        config = current_app.config
        page = self.render_template(
            "citizen/add.html", title=self.add_title, form=form,
            max_files=config["MAX_ATTACHMENTS"],
            max_mb=max(1, config["MAX_ATTACHMENT_SIZE"] // (1024 * 1024)),
        )
        # A refused form comes back with what was typed (files must be chosen again).
        return (page, 400) if form.is_submitted() else page

    @expose("/rate/<pk>", methods=["POST"])
    @has_access
    @csrf_checked_by_form
    def rate(self, pk):
        message = get_own_message_or_404(pk)
        form = RatingForm()
        if not form.validate_on_submit():
            flash(_("Please correct the marked fields."), "danger")
            return self._render_detail(message, rating_form=form), 400
        try:
            workflow.rate(g.user, message, stars=form.stars.data, comment=form.comment.data)
        except workflow.WorkflowError as error:
            flash(str(error), "danger")
            return self._render_detail(message, rating_form=form), 409
        flash(_("Thank you for your rating."), "success")
        return redirect(url_for(".show", pk=message.id))

    def _render_detail(self, message, rating_form=None, **posted):
        can_rate = message.status == Status.SELESAI and message.rating is None
        voice = voice_forms(g.user, message, posted)
        return self._detail_page(
            "citizen/show.html", message,
            rejection=_rejection(message),
            question=_question(message),
            until=voice_deadlines(message, voice),
            rating_form=(rating_form or RatingForm()) if can_rate else None,
            rating_labels=RATING_LABELS,
            voice=voice,
        )


def _rejection(message):
    if message.status != Status.DITOLAK:
        return None
    for change in reversed(message.changes):
        if change.to_status == Status.DITOLAK:
            return change
    return None


def _question(message):
    """The question the sender is asked to answer now, if any."""
    if message.status != Status.MENUNGGU:
        return None
    return next((c for c in reversed(message.changes) if c.kind == "ask"), None)


def _is_citizen():
    # A Super Admin holds every permission, but only citizens send messages: the
    # citizen's menu items would only lead staff to a refusal.
    # g.user is unset when an error page is drawn before FAB's before_request ran.
    return is_citizen(getattr(g, "user", None))


def register(appbuilder):
    # A citizen has two menu items, so they stand at the top level.
    appbuilder.add_link(
        "Tambah Pesan", href="CitizenView.add", icon="fa-plus", label=_l("Send a message"),
        cond=_is_citizen,
    )
    appbuilder.add_view(
        CitizenView, "Pesan Saya", icon="fa-envelope", label=_l("My messages"),
        menu_cond=_is_citizen,
    )

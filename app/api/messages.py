"""`/api/v1/messages/`: the aspiration journey over REST, for scripts and apps.

Authentication is FAB's JWT only (`POST /api/v1/security/login`); browser cookies
are never accepted, so a state-changing call cannot be forged cross-site. Each
endpoint is one declaration (`contract.py`): the message of a `<pk>` is loaded through
`services.access` (another person's message answers 404), input is validated by the
schemas, and every move goes through `app.workflow`. This module holds the reading
endpoints and the citizen's; `moves.py` holds the staff's.
"""

import re

from flask import request, send_file
from flask_appbuilder.hooks import before_request
from flask_babel import gettext as _
from flask_babel import refresh
from flask_jwt_extended import get_current_user, verify_jwt_in_request

from .. import workflow
from ..models import Message
from ..policy import is_staff, may_submit, visible_messages
from ..services import idempotency
from ..services.access import get_attachment_or_404
from ..services.uploads import prepare_all, storage
from ..timeutil import utcnow
from .common import paginate, sent_between
from .contract import FILE, ContractApi, reading, writing
from .errors import ApiError, error_response
from .moves import SenderMoves, StaffMoves
from .schemas import (
    MessageDetailSchema,
    MessageListQuerySchema,
    MessageListSchema,
    RateSchema,
    SubmitFormSchema,
    SubmitSchema,
)

# A retried submission with the same key answers the first one's message (201) instead
# of making another; the same key with another body is refused (422). Kept 24 hours.
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "Makes a retried submission create one message (kept 24 hours)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$"},
}
_KEY = re.compile(r"[!-~]{1,200}")

class MessageApi(StaffMoves, SenderMoves, ContractApi):
    resource_name = "messages"
    openapi_spec_tag = "Messages"
    # Tokens only: a browser session must not drive this API (it has no CSRF check).
    allow_browser_login = False
    method_permission_name = {
        "list_messages": "get",
        "get_message": "get",
        "download": "get",
        "submit": "post",
        "rate": "post",
        **StaffMoves.permissions,
        **SenderMoves.permissions,
    }

    @before_request
    def require_verified_email(self):
        """A citizen who has not confirmed their email gets a clear 403, not data."""
        try:
            verify_jwt_in_request(optional=True)
        except Exception:  # noqa: S110 - a bad token is answered by @protect (401)
            return None
        user = get_current_user()
        # Staff accounts are verified when created; anyone else (a citizen, or a
        # technical role for unverified sign-ups) must have confirmed their email.
        if user is None or is_staff(user) or user.email_verified_at is not None:
            return None
        refresh()
        return error_response(403, _("Please verify your email address first: open the "
                                     "link we emailed you, then try again."))

    # --- reading ------------------------------------------------------------------

    @reading("/", query=MessageListQuerySchema, answer=MessageListSchema,
             summary="The messages the caller may see: a citizen's own, an operator's "
                     "OPD's, all for Admins; newest first")
    def list_messages(self, user, query):
        messages = visible_messages(user)
        if query.get("status"):
            messages = messages.where(Message.status == query["status"])
        if query.get("overdue") is not None:
            late = Message.due_at < utcnow()  # "Terlambat", as the web lists' tab
            on_time = ~late | Message.due_at.is_(None)
            messages = messages.where(late if query["overdue"] else on_time)
        messages = sent_between(messages, query.get("date_from"), query.get("date_to"))
        messages = messages.order_by(Message.created_at.desc(), Message.id.desc())
        return paginate(messages, query["page"], query["page_size"])

    @reading("/<int:pk>", answer=MessageDetailSchema,
             summary="One message with its timeline; 404 when it is not the caller's to see")
    def get_message(self, user, message):
        return message

    @reading("/<int:pk>/attachments/<int:attachment_id>", answer=FILE,
             summary="An attachment of a message the caller may see (internal ones to staff)")
    def download(self, user, message, attachment_id):
        owner, attachment = get_attachment_or_404(attachment_id, user)
        if owner.id != message.id:
            raise ApiError(404, _("Not found."))
        try:
            path = storage().path(attachment.stored_name)
        except FileNotFoundError:
            raise ApiError(404, _("Not found.")) from None
        if not path.is_file():
            raise ApiError(404, _("Not found."))
        response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                             download_name=attachment.original_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    # --- the citizen's moves ------------------------------------------------------

    @writing("/", body=SubmitSchema, form=SubmitFormSchema, answer=MessageDetailSchema,
             status=201, allowed=may_submit, refusals=(422, 429), headers=(IDEMPOTENCY_KEY,),
             summary="A citizen sends a message (JSON, or a multipart form with "
                     "`attachments`)")
    def submit(self, user, body):
        uploads = prepare_all(body.pop("attachments", []))
        once = None
        key = request.headers.get(IDEMPOTENCY_KEY["name"])
        if key is not None:
            if not _KEY.fullmatch(key):
                raise ApiError(400, _("The Idempotency-Key header must be 1 to 200 visible "
                                      "ASCII characters."))
            files = [upload.sha256 for upload in uploads]
            once = (key, idempotency.fingerprint({**body, "files": files}))
        message, _replayed = workflow.submit_once(user, once, uploads=uploads, **body)
        return message

    @writing("/<int:pk>/rate", body=RateSchema, answer=MessageDetailSchema,
             refusals=(409,),
             summary="The author rates a resolved message (1-5 stars), once")
    def rate(self, user, message, body):
        workflow.rate(user, message, **body)
        return message

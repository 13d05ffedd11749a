"""`/api/v1/messages/`: the aspiration journey over REST, for scripts and apps.

Authentication is FAB's JWT only (`POST /api/v1/security/login`); browser cookies
are never accepted, so a state-changing call cannot be forged cross-site. Every
message is loaded through `access.get_message_or_404` (another person's message
answers 404) and every move goes through `app.workflow`; this module only
translates HTTP to those calls and their refusals to JSON.
"""

import functools

from flask import current_app, jsonify, request, send_file
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.hooks import before_request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_jwt_extended import get_current_user, verify_jwt_in_request
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from .. import workflow
from ..extensions import db
from ..models import Category, Message, Opd, Status, SubCategory
from ..policy import is_staff, visible_messages
from ..services.access import get_attachment_or_404, get_message_or_404
from ..services.uploads import UploadError, prepare_all, storage
from ..timeutil import local_day_bounds_utc
from ..workflow import Move, Refusal, WorkflowError
from .schemas import SCHEMAS, dump_detail, dump_summary

_TRUE = {"1", "true", "yes", "on"}


class ApiError(Exception):
    """A refusal to answer as `{"message": ...}` with an HTTP status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def api_locale(user=None):
    """`?_l_=en`, then Accept-Language, then the user's own choice, then the default."""
    languages = list(current_app.config["LANGUAGES"])
    asked = request.args.get("_l_")
    if asked in languages:
        return asked
    if request.accept_languages:
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    if user is not None and getattr(user, "locale", None) in languages:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _json(code, data):
    response = jsonify(data)
    response.status_code = code
    return response


def _json_error(code, message):
    return _json(code, {"message": str(message)})


def api_call(handler):
    """Run a handler as the token's user, in their language; refusals become JSON.

    Sits inside FAB's `@protect()` and `@safe`, so an `abort(404)` from the access
    loaders or an upload error never reaches `@safe` (which would answer 500).
    """

    @functools.wraps(handler)
    def run(self, *args, **kwargs):
        user = get_current_user()
        with force_locale(api_locale(user)):
            try:
                return handler(self, user, *args, **kwargs)
            except ApiError as error:
                db.session.rollback()
                return _json_error(error.code, error.message)
            except UploadError as error:
                db.session.rollback()
                return _json_error(400, error)
            except HTTPException as error:
                db.session.rollback()
                if error.code == 404:
                    return _json_error(404, _("Not found."))
                return _json_error(error.code or 400, error.description)

    return run


def _payload():
    """The request's fields and files: JSON, or a multipart form with `attachments`."""
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return request.form.to_dict(), request.files.getlist("attachments")
    data = request.get_json(silent=True)
    if data is None and not request.get_data():
        data = {}
    if not isinstance(data, dict):
        raise ApiError(400, _("Send a JSON object or a multipart form."))
    return data, []


def _flag(value, default=False):
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in _TRUE


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# How each kind of workflow refusal answers over HTTP.
REFUSAL_STATUS = {
    Refusal.CONFLICT: 409,
    Refusal.WRONG_STATE: 409,
    Refusal.FORBIDDEN: 403,
    Refusal.INVALID: 400,
    Refusal.LIMITED: 429,
    Refusal.KEY_REUSED: 422,
}


class MessageApi(BaseApi):
    resource_name = "messages"
    openapi_spec_tag = "Messages"
    openapi_spec_component_schemas = SCHEMAS
    # Tokens only: a browser session must not drive this API (it has no CSRF check).
    allow_browser_login = False
    method_permission_name = {
        "list_messages": "get",
        "get_message": "get",
        "download": "get",
        "submit": "post",
        "rate": "post",
        "forward": "triage",
        "escalate": "triage",
        "reject": "triage",
        "start": "process",
        "progress": "process",
        "return_message": "process",
        "resolve": "process",
    }

    def add_apispec_components(self, api_spec):
        super().add_apispec_components(api_spec)
        api_spec.components.response("MessageDetail", {
            "description": "The message after the move, as the caller may see it",
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/MessageDetail"}}},
        })

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
        with force_locale(api_locale(user)):
            return _json_error(403, _("Please verify your email address first: open the "
                                      "link we emailed you, then try again."))

    # --- reading ------------------------------------------------------------------

    @expose("/", methods=["GET"])
    @protect()
    @safe
    @api_call
    def list_messages(self, user):
        """The messages the caller may see, newest first
        ---
        get:
          summary: List messages (a citizen's own, an operator's OPD's, all for admins)
          parameters:
          - {in: query, name: status, schema: {type: string,
             enum: [baru, eskalasi, diteruskan, diproses, selesai, ditolak]}}
          - {in: query, name: date_from, schema: {type: string, format: date},
             description: First local (WITA) day of submission}
          - {in: query, name: date_to, schema: {type: string, format: date},
             description: Last local (WITA) day of submission}
          - {in: query, name: page, schema: {type: integer, minimum: 1, default: 1}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, default: 20}}
          responses:
            200:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MessageList'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
          security: [{jwt: []}]
        """
        query = visible_messages(user)
        status = request.args.get("status")
        if status:
            if status not in {s.value for s in Status}:
                raise ApiError(400, _("Unknown status %(status)s.", status=status))
            query = query.where(Message.status == status)
        query = self._date_filter(query)
        page = _int(request.args.get("page", 1))
        size = _int(request.args.get("page_size", 20))
        limit = current_app.config["FAB_API_MAX_PAGE_SIZE"]
        if page is None or page < 1 or size is None or not 1 <= size <= limit:
            raise ApiError(400, _("page must be 1 or more and page_size from 1 to %(n)d.",
                                  n=limit))
        count = db.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = db.session.scalars(
            query.order_by(Message.created_at.desc(), Message.id.desc())
            .limit(size).offset((page - 1) * size)
        ).all()
        return self.response(200, count=count, page=page, page_size=size,
                             result=[dump_summary(m) for m in rows])

    @staticmethod
    def _date_filter(query):
        from datetime import date

        bounds = {}
        for name in ("date_from", "date_to"):
            raw = request.args.get(name)
            if raw:
                try:
                    bounds[name] = date.fromisoformat(raw)
                except ValueError:
                    raise ApiError(400, _("%(name)s must be a date like 2026-11-29.",
                                          name=name)) from None
        if "date_from" in bounds:
            start, _end = local_day_bounds_utc(bounds["date_from"], bounds["date_from"])
            query = query.where(Message.created_at >= start)
        if "date_to" in bounds:
            _start, end = local_day_bounds_utc(bounds["date_to"], bounds["date_to"])
            query = query.where(Message.created_at < end)
        return query

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    @api_call
    def get_message(self, user, pk):
        """One message with its timeline
        ---
        get:
          summary: One message; 404 when it is not the caller's to see
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MessageDetail'}
            401: {$ref: '#/components/responses/401'}
            404: {$ref: '#/components/responses/404'}
          security: [{jwt: []}]
        """
        return _json(200, dump_detail(user, get_message_or_404(pk, user)))

    @expose("/<int:pk>/attachments/<int:attachment_id>", methods=["GET"])
    @protect()
    @safe
    @api_call
    def download(self, user, pk, attachment_id):
        """Download one attachment
        ---
        get:
          summary: An attachment of a message the caller may see (internal ones to staff)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          - {in: path, name: attachment_id, required: true, schema: {type: integer}}
          responses:
            200: {description: The file, as a download}
            404: {$ref: '#/components/responses/404'}
          security: [{jwt: []}]
        """
        message, attachment = get_attachment_or_404(attachment_id, user)
        if message.id != pk:
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

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @api_call
    def submit(self, user):
        """A citizen sends a new message
        ---
        post:
          summary: Send a message (JSON, or multipart with up to 5 `attachments`)
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Submit'}
              multipart/form-data:
                schema:
                  allOf:
                  - {$ref: '#/components/schemas/Submit'}
                  - type: object
                    properties:
                      attachments: {type: array, items: {type: string, format: binary}}
          responses:
            201:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            401: {$ref: '#/components/responses/401'}
            403: {$ref: '#/components/responses/403'}
          security: [{jwt: []}]
        """
        data, files = _payload()
        uploads = prepare_all(files)
        try:
            message = workflow.submit(
                user,
                title=data.get("title"),
                body=data.get("body"),
                location=data.get("location"),
                confidential=_flag(data.get("confidential")),
                uploads=uploads,
            )
        except WorkflowError as error:
            raise ApiError(REFUSAL_STATUS[error.kind], error.message) from None
        return _json(201, dump_detail(user, message))

    @expose("/<int:pk>/rate", methods=["POST"])
    @protect()
    @safe
    @api_call
    def rate(self, user, pk):
        """The citizen rates a resolved message, once
        ---
        post:
          summary: Rate a resolved message of your own (1-5 stars), once
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Rate'}
          responses:
            200:
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not resolved yet, or already rated}
          security: [{jwt: []}]
        """
        message = get_message_or_404(pk, user)
        data, _files = _payload()
        try:
            workflow.rate(user, message, stars=data.get("stars"), comment=data.get("comment"))
        except WorkflowError as error:
            db.session.rollback()
            raise ApiError(REFUSAL_STATUS[error.kind], error.message) from None
        return _json(200, dump_detail(user, message))

    # --- staff moves --------------------------------------------------------------

    def _move(self, user, pk, move, call):
        """Load the message in the caller's scope, make the move, answer the result.

        `move` is the `Move` (or a function of the payload giving it) that decides
        the refusal's status code."""
        message = get_message_or_404(pk, user)
        data, files = _payload()
        version = data.get("version")
        try:
            call(message, data, files, version)
        except WorkflowError as error:
            db.session.rollback()
            raise ApiError(REFUSAL_STATUS[error.kind], error.message) from None
        return _json(200, dump_detail(user, message))

    @expose("/<int:pk>/forward", methods=["POST"])
    @protect()
    @safe
    @api_call
    def forward(self, user, pk):
        """Classify and forward to an OPD (Admin; Super Admin for escalated ones)
        ---
        post:
          summary: Forward (or re-forward) with category_id, subcategory_id, opd_id, note
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """

        def call(message, data, _files, version):
            workflow.forward(
                user, message,
                category=_get(Category, data.get("category_id")),
                subcategory=_get(SubCategory, data.get("subcategory_id")),
                opd=_get(Opd, data.get("opd_id")),
                note=data.get("note"), expected_version=version,
            )

        return self._move(user, pk, Move.FORWARD, call)

    @expose("/<int:pk>/escalate", methods=["POST"])
    @protect()
    @safe
    @api_call
    def escalate(self, user, pk):
        """Escalate to a Super Admin with a reason (Admin)
        ---
        post:
          summary: Escalate a new message with a `reason`
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """
        return self._move(user, pk, Move.ESCALATE, lambda m, d, f, v: workflow.escalate(
            user, m, reason=d.get("reason"), expected_version=v))

    @expose("/<int:pk>/reject", methods=["POST"])
    @protect()
    @safe
    @api_call
    def reject(self, user, pk):
        """Reject with a reason the citizen will read (Admin, Super Admin)
        ---
        post:
          summary: Reject with a `reason`
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """
        return self._move(user, pk, Move.REJECT, lambda m, d, f, v: workflow.reject(
            user, m, reason=d.get("reason"), expected_version=v))

    @expose("/<int:pk>/start", methods=["POST"])
    @protect()
    @safe
    @api_call
    def start(self, user, pk):
        """Take the message up (the OPD's Operator)
        ---
        post:
          summary: Start processing, with an optional `note`
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """
        return self._move(user, pk, Move.START, lambda m, d, f, v: workflow.start(
            user, m, note=d.get("note"), expected_version=v))

    @expose("/<int:pk>/progress", methods=["POST"])
    @protect()
    @safe
    @api_call
    def progress(self, user, pk):
        """A progress update, or an internal note with `public: false` (Operator)
        ---
        post:
          summary: Post a progress `note` (multipart for `attachments`)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
              multipart/form-data:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """

        def call(message, data, files, version):
            public = _flag(data.get("public"), default=True)
            workflow.progress(user, message, note=data.get("note"), public=public,
                              uploads=prepare_all(files), expected_version=version)

        def move(data):
            return Move.PROGRESS if _flag(data.get("public"), default=True) else Move.NOTE

        return self._move(user, pk, move, call)

    @expose("/<int:pk>/return", methods=["POST"])
    @protect()
    @safe
    @api_call
    def return_message(self, user, pk):
        """Not this OPD's business: back to triage with a reason (Operator)
        ---
        post:
          summary: Return to the Admins with a `reason`
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """
        return self._move(user, pk, Move.RETURN, lambda m, d, f, v: workflow.return_to_triage(
            user, m, reason=d.get("reason"), expected_version=v))

    @expose("/<int:pk>/resolve", methods=["POST"])
    @protect()
    @safe
    @api_call
    def resolve(self, user, pk):
        """Resolve with the required resolution text (Operator)
        ---
        post:
          summary: Resolve with a `resolution` (multipart for supporting `attachments`)
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema: {$ref: '#/components/schemas/Move'}
              multipart/form-data:
                schema: {$ref: '#/components/schemas/Move'}
          responses:
            200: {$ref: '#/components/responses/MessageDetail'}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: Not possible in the message's status, or a stale version}
          security: [{jwt: []}]
        """

        def call(message, data, files, version):
            workflow.resolve(user, message, resolution=data.get("resolution"),
                             uploads=prepare_all(files), expected_version=version)

        return self._move(user, pk, Move.RESOLVE, call)


def _get(model, value):
    pk = _int(value)
    return db.session.get(model, pk) if pk is not None else None

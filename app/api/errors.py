"""How the API refuses: one JSON shape (`{"message": ..., "errors": ...}`), one status
per kind of refusal, each described once for the OpenAPI document.

- 400: the request does not match the document (malformed JSON, a wrong type, a
  missing field, a number out of range, blank or unreadable text); `errors` says
  what is wrong with each field.
- 401: no token, or a malformed, expired or revoked one (`WWW-Authenticate: Bearer`).
- 403: the person may not do this (their role, or an unconfirmed email).
- 404: no such message or file, or not one this person may see.
- 405: a method the path does not take (`Allow` lists those it does).
- 409: the message changed meanwhile (stale `version`), the move does not fit its
  status, or it is already done (rated, with that OPD).
- 413: the request is larger than the server takes.
- 415: a body in a format the operation does not take.
- 422: the request matches the document but its content is refused: an id that
  names no row, a subcategory of another category, an inactive OPD, a file that is
  not what its name says.
"""

from flask import jsonify
from flask_babel import gettext as _

from ..extensions import db
from ..workflow import Refusal
from .schemas import ErrorSchema

# How each kind of workflow refusal answers. INVALID is 422: the body already passed
# the schema (400), so what the workflow still refuses is its content, not its form.
REFUSAL_STATUS = {
    Refusal.CONFLICT: 409,
    Refusal.WRONG_STATE: 409,
    Refusal.FORBIDDEN: 403,
    Refusal.INVALID: 422,
    Refusal.KEY_REUSED: 422,
    Refusal.LIMITED: 429,
}

# Each status, as the document's response components name and describe it.
RESPONSES = {
    400: ("BadRequest", "The request does not match this document; `errors` says where"),
    401: ("Unauthorized", "No valid access token: sign in at /api/v1/security/login"),
    403: ("Forbidden", "Not allowed for this person (role, or email not yet confirmed)"),
    404: ("NotFound", "No such message or file, or not one the caller may see"),
    409: ("Conflict", "Changed meanwhile (stale `version`), not possible in the "
                      "message's status, or already done"),
    413: ("PayloadTooLarge", "The request is larger than the server accepts"),
    415: ("UnsupportedMediaType", "The body is not in a format this operation takes"),
    422: ("Unprocessable", "Well-formed, but the content is refused (unknown id, "
                          "inactive OPD, a file that is not what its name says)"),
    429: ("TooManyRequests", "Too many attempts; wait a moment"),
}


class ApiError(Exception):
    """A refusal with its status; `errors` maps field names to what is wrong."""

    def __init__(self, code, message, errors=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors


def error_response(code, message, errors=None, headers=None):
    body = {"message": str(message)}
    if errors:
        body["errors"] = errors
    response = jsonify(ErrorSchema().dump(body))
    response.status_code = code
    response.headers.update(headers or {})
    return response


def refused(error):
    """The answer to an ApiError, after undoing whatever the request had begun."""
    db.session.rollback()
    return error_response(error.code, error.message, error.errors)


def invalid_fields(messages):
    """A 400 for marshmallow's `messages` (nested dicts of lists) as field → texts."""
    errors = _flatten(messages)
    return ApiError(400, _("Some fields are missing or not valid: %(fields)s.",
                           fields=", ".join(errors)), errors)


def _flatten(messages, prefix=""):
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = [str(text) for text in value]
    return flat


def forbidden():
    return error_response(403, _("You are not allowed to do this."))


def _token_refused(*_args):
    return error_response(
        401, _("Your access token is missing, invalid or expired: sign in again."),
        headers={"WWW-Authenticate": "Bearer"})


def answer_token_problems_with_401(jwt_manager):
    """Every token problem is a 401 in our shape (Flask-JWT-Extended answers a
    malformed token with 422 and a failed claims check with 400, as `{"msg": ...}`)."""
    for loader in (jwt_manager.unauthorized_loader, jwt_manager.invalid_token_loader,
                   jwt_manager.expired_token_loader, jwt_manager.revoked_token_loader,
                   jwt_manager.needs_fresh_token_loader, jwt_manager.user_lookup_error_loader,
                   jwt_manager.token_verification_failed_loader):
        loader(_token_refused)

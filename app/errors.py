"""Error pages: in the user's language, in the client's format, never a traceback."""

import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)


def _wants_json():
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    accepted = request.accept_mimetypes
    return best == "application/json" and accepted[best] > accepted["text/html"]


def _titles():
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("The page you are looking for does not exist."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
    }


def _respond(code, message=None):
    message = message or _titles().get(code) or _("An error occurred.")
    if _wants_json():
        return jsonify(message=message), code
    if "user" not in g:
        # Refused before FAB's before_request ran (CSRF, routing): the menu needs g.user.
        g.user = current_user
    try:
        page = render_template("error.html", code=code, message=message,
                               base_template=current_app.appbuilder.base_template,
                               appbuilder=current_app.appbuilder)
    except Exception:
        # The error page itself failed (a broken database, say): answer plainly.
        log.exception("Error page failed to render")
        db.session.rollback()
        page = f"<!doctype html><title>{code}</title><p>{message}</p>"
    return page, code


def register(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(400, _("Your form expired or was sent from elsewhere. "
                               "Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        # Our own refusals (app.inputs.InputRefused) say what was wrong; Retry-After
        # (429) and Allow (405) tell the client how to act on the refusal.
        body, code = _respond(error.code, getattr(error, "user_message", None))
        headers = {k: v for k, v in error.get_headers() if k in ("Retry-After", "Allow")}
        return body, code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _respond(500)

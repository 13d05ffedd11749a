"""The verification gate: an unverified account sees only the "verify your email"
notice, the resend button, the verification link itself, logout and the language
switch; every other page redirects to the notice.

Also remembers the language a signed-in person switches to, for their email.
"""

from flask import current_app, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _

from .service import remember_locale
from .sessions import LOCALE_CHOSEN

NOTICE_ENDPOINT = "AccountView.verify_notice"
_OPEN_ENDPOINTS = {
    NOTICE_ENDPOINT,
    "AccountView.resend",
    "AccountView.verify",
    "LocaleView.index",
    "static",
    "appbuilder.static",
}


def _signed_in_user():
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def current_user_is_verified():
    """True when someone is signed in and their email address is verified."""
    user = _signed_in_user()
    return user is not None and user.email_verified_at is not None


def _is_open(endpoint):
    if endpoint is None:  # no such page: let it answer 404
        return True
    if endpoint in _OPEN_ENDPOINTS or endpoint.endswith(".static"):
        return True
    return endpoint == current_app.appbuilder.sm.auth_view.endpoint + ".logout"


def require_verified_email():
    user = _signed_in_user()
    if user is None or user.email_verified_at is not None or _is_open(request.endpoint):
        return None
    if request.path.startswith("/api/"):
        return jsonify(message=_("Please verify your email address first.")), 403
    return redirect(url_for(NOTICE_ENDPOINT))


def remember_language_switch(response):
    if request.endpoint != "LocaleView.index" or response.status_code >= 400:
        return response
    user = _signed_in_user()
    if user is not None:
        remember_locale(user, session.get("locale"))
    else:
        session[LOCALE_CHOSEN] = True
    return response


def register(app):
    """Must run after FAB's own before_request, which sets `g.user`."""
    app.before_request(require_verified_email)
    app.after_request(remember_language_switch)
    app.jinja_env.globals["current_user_is_verified"] = current_user_is_verified

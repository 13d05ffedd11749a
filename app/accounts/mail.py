"""The emails about an account: verification, reset, notices. Queued, never sent here."""

from flask import current_app

from ..services.mail import queue_email
from . import tokens


def absolute_url(endpoint, **values):
    """A link for an email: BASE_URL plus the app's own path for `endpoint`. Built
    from the URL map alone, so that it works in a background task (no request)."""
    path = current_app.url_map.bind("").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def locale_of(user):
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def _hours(setting):
    return max(1, current_app.config[setting] // 3600)


def send_verification(user):
    queue_email(
        user.email, "verify_email", locale=locale_of(user),
        user=user,
        verify_url=absolute_url("AccountView.verify", token=tokens.make_verify_token(user)),
        hours=_hours("VERIFY_TOKEN_MAX_AGE"),
    )


def send_already_registered(user):
    queue_email(
        user.email, "already_registered", locale=locale_of(user),
        user=user,
        login_url=absolute_url(current_app.appbuilder.sm.auth_view.endpoint + ".login"),
        forgot_url=absolute_url("AccountView.forgot_password"),
    )


def send_reset_link(user):
    queue_email(
        user.email, "reset_password", locale=locale_of(user),
        user=user,
        reset_url=absolute_url("AccountView.reset_password",
                               token=tokens.make_reset_token(user)),
        minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60,
    )


def send_password_changed(user):
    queue_email(
        user.email, "password_changed", locale=locale_of(user),
        user=user,
        forgot_url=absolute_url("AccountView.forgot_password"),
    )

"""Starting and renewing a signed-in session."""

from flask import current_app, session
from flask_login import login_user

from .service import remember_locale

# Set when a visitor picks a language before signing in, so that the choice (and
# not the default every new session starts with) is what we remember for them.
LOCALE_CHOSEN = "locale_chosen"


def start_session(user):
    """Sign `user` in on a brand-new session that keeps only the chosen language."""
    locale = session.get("locale")
    chosen = session.get(LOCALE_CHOSEN) and locale in current_app.config["LANGUAGES"]
    session.clear()
    if chosen:
        remember_locale(user, locale)
    elif user.locale in current_app.config["LANGUAGES"]:
        locale = user.locale
    if locale:
        session["locale"] = locale
    login_user(user, remember=False, fresh=True)


def renew_session(user):
    """After this session changed the password: carry it over to the new auth version,
    so that only the *other* sessions end."""
    login_user(user, remember=False, fresh=True)

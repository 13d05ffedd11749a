"""Signed-in sessions: started, checked on every request, and ended by the server.

Flask's session cookie is signed, not stored: by itself it cannot be revoked, and a
copy of it kept working after logout. So every sign-in also gets a row in
`login_session`, named by a random token that the cookie carries (only the token's
SHA-256 is stored). A request is signed in only while its row exists, has not been
idle longer than SESSION_IDLE_MINUTES_STAFF / SESSION_IDLE_MINUTES_CITIZEN and is
not older than SESSION_MAX_HOURS. Logout deletes the row; a password change deletes
all of the user's rows (`service.set_password`). `last_seen_at` is written at most
once every SESSION_TOUCH_SECONDS per session, never on every request.

A table rather than Redis: it works the same on SQLite (development) and PostgreSQL,
needs no second store to be up for anyone to sign in, and costs one primary-key
lookup per signed-in request, beside the user row that is loaded anyway.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, update

from ..extensions import db
from ..models import LoginSession
from ..policy import is_staff
from ..timeutil import utcnow
from . import known_users
from .service import remember_locale

# Set when a visitor picks a language before signing in, so that the choice (and
# not the default every new session starts with) is what we remember for them.
LOCALE_CHOSEN = "locale_chosen"
# The session cookie's key for the token of the signed-in session.
SESSION_TOKEN_KEY = "_login_token"  # noqa: S105 (a dictionary key)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


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
    _now_signed_in_as_current_user()
    _open(user)


def renew_session(user):
    """After this session changed the password (which ended every session of the
    user): carry this one over to the new auth version, so only the *others* end."""
    login_user(user, remember=False, fresh=True)
    _now_signed_in_as_current_user()
    _open(user)


def _now_signed_in_as_current_user():
    """`g.user` is the user object itself, not Flask-Login's proxy (fab/manager.py):
    after signing in or out it is set again, for the rest of the request."""
    g.user = current_user._get_current_object()


def _open(user):
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(LoginSession(token_hash=_digest(token), user_id=user.id,
                                created_at=now, last_seen_at=now))
    db.session.commit()
    session[SESSION_TOKEN_KEY] = token


def end_session():
    """Sign out: the server forgets this session, whoever holds a copy of the cookie."""
    token = session.get(SESSION_TOKEN_KEY)
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))
        db.session.commit()
    logout_user()
    _now_signed_in_as_current_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def _idle_limit(user):
    config = current_app.config
    minutes = config["SESSION_IDLE_MINUTES_STAFF" if is_staff(user)
                     else "SESSION_IDLE_MINUTES_CITIZEN"]
    return timedelta(minutes=minutes)


def signed_in_user(user_id, auth_version=""):
    """The user `user_id` when the session of this request is a live sign-in of
    theirs (at `auth_version`, when given: the cookie's password generation), else
    None. An expired session is deleted; `last_seen_at` is touched when older than
    SESSION_TOUCH_SECONDS. One query (user, roles and session row: `known_users`)."""
    token = session.get(SESSION_TOKEN_KEY)
    if not isinstance(token, str):
        return None
    digest = _digest(token)
    found = known_users.signed_in(user_id, digest)
    if found is None:
        return None
    user, created_at, last_seen_at = found
    if not user.is_active or (auth_version and auth_version != str(user.auth_version or 1)):
        return None
    return user if _still_open(user, digest, created_at, last_seen_at) else None


def _still_open(user, digest, created_at, last_seen_at):
    now = utcnow()
    lifetime = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    if now - last_seen_at > _idle_limit(user) or now - created_at > lifetime:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == digest))
        db.session.commit()
        return False
    if (now - last_seen_at).total_seconds() >= current_app.config["SESSION_TOUCH_SECONDS"]:
        db.session.execute(update(LoginSession).where(LoginSession.token_hash == digest)
                           .values(last_seen_at=now))
        db.session.commit()
    return True

"""Creating and changing accounts: the rules every path (CLI, views) shares."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AppUser, LoginSession, Opd
from ..policy import requires_opd
from ..timeutil import utcnow
from .passwords import password_problem


class AccountError(ValueError):
    """A request that breaks an account rule; the message is for the user."""


def normalise_email(email):
    return (email or "").strip().lower()


def find_by_email(email):
    email = normalise_email(email)
    if not email:
        return None
    return db.session.scalar(select(AppUser).where(func.lower(AppUser.email) == email))


def hash_password(password):
    return generate_password_hash(
        password,
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )


def create_account(*, email, full_name, role, password=None, password_hash=None, phone=None,
                   opd=None, verified=False, locale=None):
    """Add (not commit) a user with `password`, or with the `password_hash` of one
    checked earlier. Raises AccountError with a user-facing message."""
    sm = current_app.appbuilder.sm
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not email or "@" not in email:
        raise AccountError(_("A valid email address is required."))
    if not full_name:
        raise AccountError(_("A full name is required."))
    if password_hash is None:
        problem = password_problem(password, email=email, name=full_name)
        if problem:
            raise AccountError(problem)
        password_hash = hash_password(password)
    role_row = sm.find_role(role)
    if role_row is None:
        raise AccountError(_("Unknown role %(role)s.", role=role))
    if requires_opd([role]) and opd is None:
        raise AccountError(_("An Operator must belong to an OPD."))
    if not requires_opd([role]) and opd is not None:
        raise AccountError(_("Only an Operator can belong to an OPD."))
    if find_by_email(email) is not None:
        raise AccountError(_("An account with this email already exists."))
    user = AppUser(
        username=email,
        email=email,
        first_name=full_name[:64],
        last_name="",
        full_name=full_name,
        phone=(phone or "").strip() or None,
        opd=opd,
        active=True,
        password=password_hash,
        roles=[role_row],
        email_verified_at=utcnow() if verified else None,
        locale=locale,
        auth_version=1,
    )
    db.session.add(user)
    return user


def find_opd(short_name):
    return db.session.scalar(
        select(Opd).where(func.upper(Opd.short_name) == (short_name or "").strip().upper())
    )


def set_password(user, password):
    """Change a password and end every session, token and link issued before."""
    user.password = hash_password(password)
    user.auth_version = (user.auth_version or 1) + 1
    user.changed_on = utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def check_password(user, password):
    return bool(user and user.password and password) and check_password_hash(
        user.password, password
    )


def change_password(user, current_password, new_password):
    """A signed-in user's own change. Commits; the caller renews its own session."""
    from .mail import send_password_changed

    if not check_password(user, current_password):
        raise AccountError(_("The current password is not correct."))
    problem = password_problem(new_password, email=user.email, name=user.full_name)
    if problem:
        raise AccountError(problem)
    set_password(user, new_password)
    send_password_changed(user)
    db.session.commit()


def update_profile(user, *, full_name, phone=None):
    """What a person may change about themselves: name and phone, nothing else."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise AccountError(_("A full name is required."))
    user.full_name = full_name
    user.first_name = full_name[:64]
    user.phone = (phone or "").strip() or None
    user.changed_on = utcnow()
    db.session.commit()


def remember_locale(user, locale):
    """Keep the person's UI language, so that their email speaks it too."""
    if locale and user.locale != locale:
        user.locale = locale
        db.session.commit()

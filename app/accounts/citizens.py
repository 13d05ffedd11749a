"""A citizen's own account: registration, email verification, forgotten password.

Nothing here tells a stranger whether an email has an account: the callers answer
the same either way, and the owner of an existing account is told by email.
"""

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import AppUser
from ..policy import USER
from ..timeutil import utcnow
from . import mail as account_mail
from . import tokens
from .passwords import password_problem
from .service import AccountError, create_account, find_by_email, normalise_email
from .service import set_password as _set_password


def register_citizen(*, full_name, email, password_hash, phone=None, locale=None):
    """Create an unverified citizen and queue the verification link (one commit).

    Runs in the background (app/tasks.py): the registration page does the same work
    whether or not the email has an account, and answers the same. When it has one,
    its owner gets a notice instead and nothing else changes. Returns the new user,
    or None in that case.
    """
    existing = find_by_email(email)
    if existing is not None:
        account_mail.send_already_registered(existing)
        db.session.commit()
        return None
    user = create_account(email=email, password_hash=password_hash, full_name=full_name,
                          role=USER, phone=phone, verified=False, locale=locale)
    try:
        db.session.flush()
        account_mail.send_verification(user)
        db.session.commit()
    except IntegrityError:
        # Someone registered the same email a moment ago: behave as above.
        db.session.rollback()
        existing = find_by_email(email)
        if existing is not None:
            account_mail.send_already_registered(existing)
            db.session.commit()
        return None
    return user


def user_for_verify_token(token):
    """The unverified account a verification link is for. Raises TokenError."""
    user_id, email = tokens.read_verify_token(token)
    user = db.session.get(AppUser, user_id)
    if (user is None or not user.is_active or user.email_verified_at is not None
            or normalise_email(user.email) != email):
        raise tokens.TokenError()
    return user


def confirm_email(user):
    user.email_verified_at = utcnow()
    db.session.commit()


def resend_verification(user):
    """Queue a fresh link for an unverified account; False if there is nothing to do."""
    if user.email_verified_at is not None:
        return False
    account_mail.send_verification(user)
    db.session.commit()
    return True


def request_password_reset(email):
    """Mail a reset link when `email` has an active account; silent otherwise."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    account_mail.send_reset_link(user)
    db.session.commit()


def user_for_reset_token(token):
    """The account a reset link is still good for. Raises TokenError."""
    user_id, version = tokens.read_reset_token(token)
    user = db.session.get(AppUser, user_id)
    if user is None or not user.is_active or (user.auth_version or 1) != version:
        raise tokens.TokenError()
    return user


def reset_password(user, password):
    """Set the new password; every session and reset link issued before ends."""
    problem = password_problem(password, email=user.email, name=user.full_name)
    if problem:
        raise AccountError(problem)
    _set_password(user, password)
    if user.email_verified_at is None:
        # Following a link sent to the address proves it as well as verification does.
        user.email_verified_at = utcnow()
    account_mail.send_password_changed(user)
    db.session.commit()

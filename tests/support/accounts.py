"""Helpers for the account tests: filling in the account forms like a person would."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import AppUser

from ..conftest import DEFAULT_PASSWORD

NEW_PASSWORD = "Mahakam-baru-2027"
# WTForms writes `name` before `type`; the lean layout's logout form the other way round.
_CSRF = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=")([^"]+)(")')
_NONCE = re.compile(r'nonce="[^"]*"')


def register(client, email, *, password=DEFAULT_PASSWORD, name="Siti Rahma",
             phone="0812 3456 7890", confirm=None, **extra):
    return client.post("/account/register", data={
        "full_name": name, "email": email, "phone": phone, "password": password,
        "confirm": password if confirm is None else confirm, **extra,
    })


def user_by_email(app, email):
    with app.app_context():
        user = db.session.scalar(select(AppUser).where(AppUser.email == email))
        if user is not None:
            list(user.roles)  # loaded now: the caller reads it after the session ends
            db.session.expunge(user)
        return user


def path_of(url):
    """The path (and query) of an absolute link, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def without_csrf(html):
    """The page without what differs on every response: the CSRF token, the CSP nonce."""
    html = _CSRF.sub(r"\1\3", html)
    return _NONCE.sub('nonce=""', html)


def csrf_token(html):
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(2)

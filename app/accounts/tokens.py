"""Signed, expiring tokens for the links we email.

Each purpose has its own salt, so a verification token can never be replayed as a
reset token. The tokens are stateless; "usable once" comes from what they are bound
to: a verification token names the email and only works while that email is still
unverified; a reset token carries the account's `auth_version`, which every
password change bumps.
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY = "verify-email"
RESET = "reset-password"

_SALTS = {
    VERIFY: "aspirasi-etam.verify-email.v1",
    RESET: "aspirasi-etam.reset-password.v1",
}
_MAX_AGE_SETTINGS = {VERIFY: "VERIFY_TOKEN_MAX_AGE", RESET: "RESET_TOKEN_MAX_AGE"}


class TokenError(Exception):
    """The link is broken, forged, expired, or no longer applies."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALTS[purpose])


def _load(purpose, token):
    max_age = current_app.config[_MAX_AGE_SETTINGS[purpose]]
    try:
        data = _serializer(purpose).loads(token or "", max_age=max_age)
    except SignatureExpired:
        raise TokenError(expired=True) from None
    except BadSignature:
        raise TokenError() from None
    if not isinstance(data, dict):
        raise TokenError()
    return data


def make_verify_token(user):
    return _serializer(VERIFY).dumps({"u": user.id, "e": user.email})


def read_verify_token(token):
    """(user id, email) the token was issued for. Raises TokenError."""
    data = _load(VERIFY, token)
    if not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        raise TokenError()
    return data["u"], data["e"]


def make_reset_token(user):
    return _serializer(RESET).dumps({"u": user.id, "v": user.auth_version or 1})


def read_reset_token(token):
    """(user id, auth_version) the token was issued for. Raises TokenError."""
    data = _load(RESET, token)
    if not isinstance(data.get("u"), int) or not isinstance(data.get("v"), int):
        raise TokenError()
    return data["u"], data["v"]

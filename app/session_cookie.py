"""Flask's signed session cookie, decoded once per distinct cookie instead of on every
request.

A browser sends the same cookie on request after request until the session changes.
Flask checks its signature and decodes it each time (HMAC, base64, zlib, tagged JSON):
the largest part of opening a session. Here a cookie whose signature was verified is
remembered, by its exact text and the keys that verified it, with what it decoded to
and when it was signed. The same text again skips the decoding, never the checks that
depend on the moment: its age is held against the session lifetime exactly as
itsdangerous does (older, or signed in the future, is refused). Any other text is
verified in full. Each request gets a session of its own (a copy), and only sessions
made of plain values (text, numbers, booleans) are remembered, so a change made by one
request can never reach another through a shared object.
"""

import threading
import time

from cachetools import LRUCache
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

# Distinct cookies remembered per process; a busy worker's oldest ones are forgotten.
_REMEMBERED = 4096
_PLAIN = (str, int, float, bool, type(None))


class RememberingSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._decoded = LRUCache(maxsize=_REMEMBERED)
        self._lock = threading.Lock()

    def open_session(self, app, request):
        if not app.secret_key:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (cookie, app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        with self._lock:
            remembered = self._decoded.get(key)
        if remembered is None:
            return self._verify(app, cookie, max_age, key)
        data, signed_at = remembered
        # What itsdangerous' TimestampSigner.unsign checks for the same max_age.
        age = int(time.time()) - signed_at
        if age > max_age or age < 0:
            return self.session_class()
        return self.session_class(data)

    def _verify(self, app, cookie, max_age, key):
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:  # SignatureExpired included
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(v, _PLAIN) for v in data.values()):
            with self._lock:
                self._decoded[key] = (dict(data), int(signed_at.timestamp()))
        return self.session_class(data)

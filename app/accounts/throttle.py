"""Rate limits of the account pages, and the one login throttle of the web login and
the API's token login, kept in Flask-Limiter's storage.

The storage is the one Flask-Limiter was configured with (`RATELIMIT_STORAGE_URI`: in
memory by default, Redis when several workers must share the counts).

The login rule (README, "Signing in"):
- per address: at most LOGIN_IP_LIMIT attempts, over all accounts;
- per account *and* address: LOGIN_PAIR_FAILURES failed attempts lock that pair for
  LOGIN_PAIR_LOCK_MINUTES; the account's owner, signing in from elsewhere, is not
  affected, so a stranger who knows an email cannot lock its owner out;
- per account, from anywhere: beyond LOGIN_ACCOUNT_CEILING failures in an hour each
  further failure makes the next attempt wait (1 s, 2 s, 4 s … up to
  LOGIN_DELAY_MAX_SECONDS). This slows a guesser with many addresses; it never locks.
Unknown emails are counted exactly like known ones, so the throttle tells nothing
about which accounts exist. A refused attempt is not evaluated at all.
"""

import time

from flask import abort, current_app, request
from limits import parse
from werkzeug.exceptions import TooManyRequests

ACCOUNT_WINDOW_SECONDS = 3600


class TooManyAttempts(TooManyRequests):
    """429 with the seconds to wait (Retry-After)."""

    def __init__(self, retry_after):
        self.seconds = max(1, int(retry_after + 0.999))
        super().__init__(retry_after=self.seconds)


def now():
    """The throttle's clock, in seconds (tests move it)."""
    return time.time()


def _strategy():
    limiter = current_app.appbuilder.sm.limiter
    if not (limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)):
        return None
    return limiter.limiter


def _identifiers(scope, key):
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "aspirasi"
    return prefix, scope, str(key or "-").lower()


def _limit(setting):
    return parse(current_app.config[setting])


def hit(scope, setting, key):
    """Count one attempt; False once the limit named by `setting` is exceeded."""
    strategy = _strategy()
    if strategy is None:
        return True
    return strategy.hit(_limit(setting), *_identifiers(scope, key))


def enforce(scope, setting, key):
    """Count one attempt, answering 429 when there were too many."""
    if not hit(scope, setting, key):
        abort(429)


def client_ip():
    return request.remote_addr or "unknown"


# --- the login throttle -------------------------------------------------------------

def _key(*parts):
    return "/".join(_identifiers(parts[0], "/".join(str(p).lower() for p in parts[1:])))


def _wait_left(storage, key):
    """Seconds until the deadline kept under `key` (0 when none): the deadline is
    stored as the value, so that the throttle's own clock decides."""
    deadline = storage.get(key)
    return max(0.0, deadline - now()) if deadline else 0.0


def _set_deadline(storage, key, seconds):
    storage.clear(key)
    # The storage's own expiry only tidies up, a little after the deadline.
    storage.incr(key, int(seconds) + 60, amount=int(now() + seconds + 0.999))


def check_login(account, ip=None):
    """Before evaluating a password: raise TooManyAttempts when `account` may not be
    tried now from `ip` (the requester's address by default)."""
    strategy = _strategy()
    if strategy is None:
        return
    ip = ip or client_ip()
    if not strategy.hit(_limit("LOGIN_IP_LIMIT"), *_identifiers("login-ip", ip)):
        raise TooManyAttempts(60)
    storage = strategy.storage
    wait = max(_wait_left(storage, _key("login-lock", account, ip)),
               _wait_left(storage, _key("login-delay", account)))
    if wait:
        raise TooManyAttempts(wait)


def login_failed(account, ip=None):
    """Count a failed attempt (wrong password, unknown email, inactive account alike)."""
    strategy = _strategy()
    if strategy is None:
        return
    config = current_app.config
    ip = ip or client_ip()
    storage = strategy.storage
    lock_seconds = config["LOGIN_PAIR_LOCK_MINUTES"] * 60
    pair = _key("login-fail", account, ip)
    if storage.incr(pair, lock_seconds) >= config["LOGIN_PAIR_FAILURES"]:
        storage.clear(pair)
        _set_deadline(storage, _key("login-lock", account, ip), lock_seconds)
    failures = storage.incr(_key("login-account", account), ACCOUNT_WINDOW_SECONDS)
    beyond = failures - config["LOGIN_ACCOUNT_CEILING"]
    if beyond > 0:
        delay = min(2 ** min(beyond - 1, 30), config["LOGIN_DELAY_MAX_SECONDS"])
        _set_deadline(storage, _key("login-delay", account), delay)


def login_succeeded(account, ip=None):
    """The right password from this address: its failures there are forgiven."""
    strategy = _strategy()
    if strategy is not None:
        strategy.storage.clear(_key("login-fail", account, ip or client_ip()))

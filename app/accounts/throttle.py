"""Rate limits of the account pages, kept in Flask-Limiter's storage.

FAB's blanket limit on the login blueprint cannot count per account, nor count only
failed attempts, so these pages ask the limiter's strategy directly. The storage is
the one Flask-Limiter was configured with (`RATELIMIT_STORAGE_URI`: in memory by
default, Redis when several workers must share the counts).
"""

from flask import abort, current_app, request
from limits import parse


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


def allows(scope, setting, key):
    """Whether one more attempt would still be within the limit (counts nothing)."""
    strategy = _strategy()
    if strategy is None:
        return True
    return strategy.test(_limit(setting), *_identifiers(scope, key))


def enforce(scope, setting, key):
    """Count one attempt, answering 429 when there were too many."""
    if not hit(scope, setting, key):
        abort(429)


def client_ip():
    return request.remote_addr or "unknown"

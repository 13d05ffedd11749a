"""The REST API under /api/v1/: messages, plus the limits on FAB's own API surface.

What FAB itself exposes there (checked in tests/test_api.py): the token login and
refresh, the menu of the caller's own allowed items, and the OpenAPI spec with its
Swagger UI (Super Admin only). FAB's user, role and API-key APIs stay off
(`FAB_ADD_SECURITY_API`, `FAB_API_KEY_ENABLED` are never set).
"""

from flask import current_app

from .messages import MessageApi


def _limit_token_login(appbuilder):
    """Our web login limits itself; FAB's token login would not be limited at all.
    Without this, /api/v1/security/login would be an open door for password guessing."""
    blueprint = current_app.blueprints.get("SecurityApi")
    if blueprint is not None:
        limit = current_app.config["AUTH_RATE_LIMIT"]
        appbuilder.sm.limiter.limit(limit, methods=["POST"])(blueprint)


def register(appbuilder):
    appbuilder.add_api(MessageApi)
    _limit_token_login(appbuilder)

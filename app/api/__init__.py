"""The REST API under /api/v1/: messages, plus the limits on FAB's own API surface.

What FAB itself exposes there (checked in tests/test_api.py): the token login and
refresh, the menu of the caller's own allowed items, and the OpenAPI spec with its
Swagger UI (Super Admin only). FAB's user, role and API-key APIs stay off
(`FAB_ADD_SECURITY_API`, `FAB_API_KEY_ENABLED` are never set).
"""

from .messages import MessageApi


def register(appbuilder):
    # The token login is FAB's, behind the web login's throttle: app/fab/token_login.py.
    appbuilder.add_api(MessageApi)

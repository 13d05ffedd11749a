"""The REST API under /api/v1/: messages, plus the limits on FAB's own API surface.

- `messages.py`, `moves.py`: the endpoints of `/api/v1/messages/`, one declaration each;
- `contract.py`: that declaration (the decorator stack) and the OpenAPI it generates;
- `schemas.py`, `fields.py`: the contract: they validate requests, serialise answers
  and are the document's schemas;
- `errors.py`: one JSON shape and one status per kind of refusal;
- `common.py`: the answer's language, pages and date windows;
- `surface.py`: what FAB itself exposes here (checked in tests/test_api.py): the token
  login (rate-limited) and refresh, the menu of the caller's own allowed items, and the
  OpenAPI document with its Swagger UI (Super Admin only). FAB's user, role and
  API-key APIs stay off (`FAB_ADD_SECURITY_API`, `FAB_API_KEY_ENABLED` are never set).
"""

from flask import current_app

from . import surface
from .common import negotiate_api_locale
from .errors import answer_token_problems_with_401
from .messages import MessageApi


def register(appbuilder):
    appbuilder.add_api(MessageApi)
    surface.adjust(appbuilder)
    negotiate_api_locale(current_app)
    answer_token_problems_with_401(appbuilder.sm.jwt_manager)

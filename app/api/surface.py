"""Flask-AppBuilder's own endpoints under /api/v1: their limits, and the answers their
documentation leaves out or misstates (through FAB's `openapi_spec_methods`, set on
the instances: FAB's classes stay as they are)."""

from copy import deepcopy

from apispec import yaml_utils

from .errors import RESPONSES

_REFUSED = {str(code): {"$ref": f"#/components/responses/{name}"}
            for code, (name, _description) in RESPONSES.items()}
# FAB's login answers a body that does not fit its schema with the field errors in `message`.
_LOGIN_REFUSED = {
    "description": "Bad request: `message` says why, or lists what is wrong with each field",
    "content": {"application/json": {"schema": {"type": "object", "properties": {
        "message": {"oneOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "string"}}},
        ]}}}}},
}
# FAB view class → its method → the answers its own documentation leaves out or misstates.
CORRECTIONS = {
    "AspirasiSecurityApi": {"login": {"400": _LOGIN_REFUSED, "429": _REFUSED["429"]}},
    "MenuApi": {"get_menu_data": {"403": _REFUSED["403"]}},
    "OpenApi": {"get": {"401": _REFUSED["401"], "403": _REFUSED["403"]}},
}


def _correct(view, method_name, answers):
    method = getattr(view, method_name)
    operations = yaml_utils.load_operations_from_docstring(method.__doc__)
    overrides = deepcopy(view.openapi_spec_methods)
    for http_method, operation in operations.items():
        responses = {**operation.get("responses", {}), **answers}
        overrides.setdefault(method_name, {}).setdefault(http_method, {})[
            "responses"] = responses
    view.openapi_spec_methods = overrides


def adjust(appbuilder):
    # The token login is limited by the web login's throttle (app/fab/token_login.py).
    for view in appbuilder.baseviews:
        for method_name, answers in CORRECTIONS.get(type(view).__name__, {}).items():
            _correct(view, method_name, answers)

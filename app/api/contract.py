"""One declaration per endpoint: its route, what it reads, what it answers.

`endpoint(...)` is the whole decorator stack. From one `Contract` it registers the
route (FAB's `expose`), checks the token and the FAB permission (`protect`), loads
the message of a `<pk>` through `services.access` (404 for someone else's), validates
the query string and the body with their schemas (400 with field errors), calls the
handler as the token's user, serialises its result with the answer schema, turns
refusals into JSON (`errors.py`), and writes the operation into the OpenAPI document.
`reading` and `writing` are its two kinds; `moves.move_endpoint` builds on `writing`.
"""

import functools
import json
import math
import re
from dataclasses import dataclass

from flask import Response, jsonify, request
from flask_appbuilder.api import BaseApi, expose, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_jwt_extended import get_current_user
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..services.access import get_message_or_404
from ..services.uploads import ALLOWED, UploadError
from ..workflow import WorkflowError
from .errors import (
    REFUSAL_STATUS,
    RESPONSES,
    ApiError,
    forbidden,
    invalid_fields,
    refused,
)
from .fields import MAX_ID, dump
from .schemas import ErrorSchema

FILE = "file"  # the answer of a download: the file itself
JSON = "application/json"
MULTIPART = "multipart/form-data"
_PATH_ARGUMENT = re.compile(r"<int:(\w+)>")
_HTTP_TEXTS = {404: _l("Not found."), 413: _l("The upload is too large.")}


@dataclass(frozen=True)
class Contract:
    rule: str
    method: str
    summary: str
    answer: object  # an answer schema, or FILE
    status: int = 200
    query: type | None = None
    body: type | None = None
    form: type | None = None  # the body as a multipart form (with files), if taken
    refusals: tuple = ()  # statuses the handler's workflow call may answer
    allowed: object = None  # callable(user) -> bool, asked before anything is read
    headers: tuple = ()  # request headers the operation reads (OpenAPI parameter objects)

    @property
    def path_arguments(self):
        return _PATH_ARGUMENT.findall(self.rule)

    def statuses(self):
        """Every status this operation may answer besides its success."""
        codes = {401, 403, *self.refusals}
        if self.path_arguments:
            codes.add(404)
        if self.query or self.body:
            codes.add(400)
        if self.body:
            codes.add(415)
        if self.form:
            codes |= {413, 422}  # too large; a file that is not what its name says
        return sorted(codes)

    # --- reading the request ----------------------------------------------------------

    def arguments(self, user, path):
        """The handler's keyword arguments: the loaded message, the other path ids, the
        validated query and body."""
        if not all(1 <= value <= MAX_ID for value in path.values()):
            raise ApiError(404, _("Not found."))
        kwargs = dict(path)
        if "pk" in kwargs:
            kwargs["message"] = get_message_or_404(kwargs.pop("pk"), user)
        if self.query:
            kwargs["query"] = _load(self.query(text_input=True), request.args.to_dict())
        if self.body:
            kwargs["body"] = self._read_body()
        return kwargs

    def _read_body(self):
        if request.mimetype == MULTIPART and self.form:
            data = request.form.to_dict()
            for name in request.files:
                data[name] = request.files.getlist(name)
            return _load(self.form(text_input=True), data)
        raw = request.get_data()
        if request.is_json:
            data = _parse_json(raw) if raw else {}
        elif raw or request.mimetype == MULTIPART:
            raise ApiError(415, _("Send the body as %(types)s.",
                                  types=" or ".join(self._media_types())))
        else:
            data = {}
        if not isinstance(data, dict):
            raise ApiError(400, _("Send a JSON object or a multipart form."))
        return _load(self.body(), data)

    def _media_types(self):
        return [JSON, MULTIPART] if self.form else [JSON]

    # --- the OpenAPI operation ----------------------------------------------------------

    def operation(self):
        parameters = [
            {"in": "path", "name": name, "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
            for name in self.path_arguments
        ]
        if self.query:
            parameters.append({"in": "query", "schema": self.query})
        parameters.extend(self.headers)
        parameters.append("language")  # a parameter component, see ContractApi
        operation = {
            "summary": self.summary,
            "parameters": parameters,
            "security": [{"jwt": []}],
            "responses": {
                str(self.status): self._success(),
                **{str(code): {"$ref": f"#/components/responses/{RESPONSES[code][0]}"}
                   for code in self.statuses()},
            },
        }
        if self.body:
            content = {JSON: {"schema": self.body}}
            if self.form:
                content[MULTIPART] = {"schema": self.form}
            required = any(field.required for field in self.body().fields.values())
            operation["requestBody"] = {"required": required, "content": content}
        return operation

    def _success(self):
        if self.answer == FILE:
            types = sorted({content_type for content_type, _kind in ALLOWED.values()})
            binary = {"schema": {"type": "string", "format": "binary"}}
            return {"description": "The file, as a download",
                    "content": dict.fromkeys(types, binary)}
        return {"description": self.answer.__doc__.strip(),
                "content": {JSON: {"schema": self.answer}}}


def _load(schema, data):
    try:
        return schema.load(data)
    except ValidationError as error:
        raise invalid_fields(error.messages) from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite(text):
    number = float(text)
    if not math.isfinite(number):  # 1e400
        raise ValueError("number out of range")
    return number


def _parse_json(raw):
    """Standard JSON only: no NaN or Infinity; nesting too deep for the parser is refused."""
    try:
        return json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError):
        raise ApiError(400, _("The body is not valid JSON.")) from None


def endpoint(rule, method, *, summary, answer, **declared):
    """The decorator stack of an API method; see the module's docstring."""
    contract = Contract(rule, method, summary, answer, **declared)

    def decorate(handler):
        @functools.wraps(handler)
        def run(self, **path):
            user = get_current_user()
            refresh()  # the language may depend on the user, known only now
            if contract.allowed and not contract.allowed(user):
                return forbidden()
            try:
                result = handler(self, user, **contract.arguments(user, path))
            except ApiError as error:
                return refused(error)
            except WorkflowError as error:
                return refused(ApiError(REFUSAL_STATUS[error.kind], error.message))
            except UploadError as error:
                return refused(ApiError(422, str(error)))
            except HTTPException as error:  # abort(404) of the loaders, 413 of the form
                text = _HTTP_TEXTS.get(error.code, error.description)
                return refused(ApiError(error.code or 400, text))
            if isinstance(result, Response):
                return result
            response = jsonify(dump(contract.answer, user, result))
            response.status_code = contract.status
            return response

        run.contract = contract
        return expose(rule, methods=(method,))(protect()(run))

    return decorate


reading = functools.partial(endpoint, method="GET")
writing = functools.partial(endpoint, method="POST")


class ContractApi(BaseApi):
    """A FAB API whose operations are generated from their contracts."""

    def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs):
        contract = getattr(func, "contract", None)
        if contract is None:
            return super().operation_helper(path, operations, methods, func, **kwargs)
        operations[contract.method.lower()] = contract.operation()
        return None

    def add_apispec_components(self, api_spec):
        super().add_apispec_components(api_spec)
        for code, (name, description) in RESPONSES.items():
            component = {"description": description,
                         "content": {JSON: {"schema": ErrorSchema}}}
            if code == 401:
                component["headers"] = {"WWW-Authenticate": {
                    "description": "`Bearer`", "schema": {"type": "string"}}}
            api_spec.components.response(name, component)
        api_spec.components.parameter("language", "query", {
            "name": "_l_", "schema": {"type": "string"},
            "description": "Language of the messages: `id` or `en` (else Accept-Language, "
                           "then the account's language; other values are passed over)"})

    def response_403(self):
        """FAB's permission check refuses in our shape and language."""
        return forbidden()

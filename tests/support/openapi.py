"""Checking real answers against the OpenAPI document the app serves."""

from collections import defaultdict

import schemathesis

from .api import fresh

OPENAPI = "/api/v1/_openapi"


def documented(document, path, method):
    """The statuses the document lists for one operation."""
    return {int(code) for code in document["paths"][path][method]["responses"]}


def media_types(document, path, method, status):
    response = document["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return set(response.get("content", {}))


class Walk:
    """Requests an operation and holds its answer to the document: the status must be
    one it lists, the media type one it names for that status, the body valid against
    its schema. Remembers which statuses each operation answered."""

    def __init__(self, client, document):
        self.client = client
        self.document = document
        self.schema = schemathesis.openapi.from_dict(document)
        self.seen = defaultdict(set)

    def __call__(self, headers, method, path, expect, values=None, query="", **kwargs):
        url = path.format(**(values or {})) + (f"?{query}" if query else "")
        response = fresh(self.client, method, url, headers=headers or {}, **kwargs)
        where = f"{method.upper()} {url} answered {response.status_code}"
        assert response.status_code == expect, f"{where}: {response.get_data(as_text=True)}"
        assert expect in documented(self.document, path, method), f"{where}: undocumented"
        assert response.mimetype in media_types(self.document, path, method, expect), where
        self.schema[path][method.upper()].validate_response(response)
        self.seen[(path, method)].add(expect)
        return response

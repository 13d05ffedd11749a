"""The OpenAPI document (/api/v1/_openapi) is generated from the schemas, valid, and true:
every answer of every endpoint is one it describes."""

import io
import re

import pytest
from openapi_spec_validator import validate

from app.accounts.service import find_opd
from app.extensions import db
from app.models import Message

from .conftest import DEFAULT_PASSWORD
from .factories import forward_to, make_message, make_user
from .support import api as api_support
from .support.api import forward_body, login_token
from .support.openapi import OPENAPI, Walk, documented

people = api_support.people  # the fixture: two citizens, an Admin, a Super Admin, operators

MESSAGES = "/api/v1/messages"


@pytest.fixture
def tokens(people, client):
    """An Authorization header per person, and one of a citizen whose email is unconfirmed."""
    make_user("User", email="belum@example.test", verified=False)
    emails = {who: user.email for who, user in people.items()}
    emails["unverified"] = "belum@example.test"
    return {who: {"Authorization": f"Bearer {login_token(client, email)}"}
            for who, email in emails.items()}


@pytest.fixture
def document(client, tokens):
    return client.get(OPENAPI, headers=tokens["boss"]).get_json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_document_is_valid_openapi_and_every_ref_resolves(document):
    """Does the document validate against the OpenAPI 3.0 specification, with every $ref
    pointing at a component that exists?"""
    validate(document)
    for ref in set(_refs(document)):
        node = document
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} points nowhere"
            node = node[part]


def test_document_describes_exactly_the_api_routes(app, document):
    """Does the document hold one operation per registered API route and method?"""
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    operations = {(path, method) for path, item in document["paths"].items()
                  for method in item}
    assert operations == routes


def test_document_names_the_schemas_it_uses(document):
    """Are the request and answer schemas the document's own components, under the names
    the operations use (`Submit`, `MessageDetail`, `Rate`, `MessageList`, …)?"""
    schemas = document["components"]["schemas"]
    assert {"Submit", "SubmitForm", "Rate", "Forward", "Reason", "Start", "Progress",
            "Resolve", "MessageDetail", "MessageList", "MessageSummary", "Error"} <= set(schemas)
    submit = document["paths"][f"{MESSAGES}/"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Submit"}
    assert schemas["Rate"]["properties"]["stars"] == {"type": "integer", "minimum": 1,
                                                      "maximum": 5}


def _pdf():
    return (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"), "surat.pdf")


def _fake():
    return (io.BytesIO(b"MZ not a pdf"), "virus.pdf")


def test_every_answer_of_every_endpoint_matches_the_document(app, people, client, tokens,
                                                             document):
    """Does each endpoint answer its success and every refusal it documents, each with the
    documented media type and a body valid against the documented schema?"""
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    walk = Walk(client, document)
    t = tokens

    def big():  # a fresh file each time: the test client closes what it sent
        return {"data": {"note": "x", "attachments": [
            (io.BytesIO(b"%PDF-" + b"0" * 70_000), "besar.pdf")]},
            "content_type": "multipart/form-data"}

    text = {"data": "x", "content_type": "text/plain"}

    # The list and a submission.
    lst, one = f"{MESSAGES}/", f"{MESSAGES}/{{pk}}"
    walk(t["citizen_a"], "get", lst, 200)
    walk(t["citizen_a"], "get", lst, 400, query="page=0")
    walk(None, "get", lst, 401)
    walk(t["unverified"], "get", lst, 403)
    created = walk(t["citizen_a"], "post", lst, 201, content_type="multipart/form-data",
                   data={"title": "Berkas", "body": "Lihat lampiran", "attachments": [_pdf()]})
    walk(t["citizen_a"], "post", lst, 201, json={"title": "Lampu mati", "body": "Gelap"})
    walk(t["citizen_a"], "post", lst, 400, json={})
    walk(None, "post", lst, 401, json={})
    walk(t["admin"], "post", lst, 403, json={"title": "x", "body": "y"})
    walk(t["citizen_a"], "post", lst, 413, **big())
    walk(t["citizen_a"], "post", lst, 415, **text)
    walk(t["citizen_a"], "post", lst, 422, content_type="multipart/form-data",
         data={"title": "Palsu", "body": "x", "attachments": [_fake()]})
    # A retried submission: the same key answers the first message, another body is 422.
    keyed = {**t["citizen_a"], "Idempotency-Key": "coba-ulang-1"}
    flood = {"title": "Banjir", "body": "Setinggi lutut"}
    first = walk(keyed, "post", lst, 201, json=flood)
    assert walk(keyed, "post", lst, 201, json=flood).get_json()["id"] == first.get_json()["id"]
    walk(keyed, "post", lst, 422, json={"title": "Lain", "body": "Isi lain"})
    walk({**t["citizen_a"], "Idempotency-Key": "spasi tidak boleh"}, "post", lst, 400,
         json=flood)
    # Over the hourly limit (citizen A has sent three): 429.
    app.config["SUBMISSIONS_PER_HOUR"] = 3
    walk(t["citizen_a"], "post", lst, 429, json={"title": "Satu lagi", "body": "x"})
    app.config["SUBMISSIONS_PER_HOUR"] = 1000

    # Reading one message and its file.
    pk = created.get_json()["id"]
    own, theirs = {"pk": pk}, {"pk": make_message(people["citizen_b"]).id}
    walk(t["citizen_a"], "get", one, 200, own)
    walk(None, "get", one, 401, own)
    walk(t["unverified"], "get", one, 403, own)
    walk(t["citizen_a"], "get", one, 404, theirs)
    file = f"{one}/attachments/{{attachment_id}}"
    attached = {**own, "attachment_id": created.get_json()["attachments"][0]["id"]}
    walk(t["citizen_a"], "get", file, 200, attached)
    walk(None, "get", file, 401, attached)
    walk(t["unverified"], "get", file, 403, attached)
    walk(t["citizen_b"], "get", file, 404, attached)

    # Triage: forward, escalate, reject.
    body = forward_body(find_opd("DISKOMINFO"))
    mismatch = {**body, "subcategory_id": forward_body(find_opd("DLH"), "aspirasi")[
        "subcategory_id"]}
    for name, good in (("escalate", {"reason": "Tidak jelas"}), ("reject", {"reason": "Spam"}),
                       ("forward", body)):
        path = f"{one}/{name}"
        target = {"pk": make_message(people["citizen_a"]).id}
        _walk_refusals(walk, path, target, good, text, actor=t["admin"],
                       refused=t["citizen_a"])
        if name == "forward":
            walk(t["admin"], "post", path, 422, target, json=mismatch)
        walk(t["admin"], "post", path, 200, target, json=good)
    forwarded = target

    # The OPD's work: start, progress, return, resolve.
    steps = (("start", {"note": "Mulai"}), ("progress", {"note": "Tim ke lokasi"}),
             ("resolve", {"resolution": "Sudah diperbaiki"}))
    for name, good in steps:
        path = f"{one}/{name}"
        walk(t["op_kominfo"], "post", path, 400, forwarded, json={"note": 5})
        walk(None, "post", path, 401, forwarded, json=good)
        walk(t["admin"], "post", path, 403, forwarded, json=good)
        walk(t["op_dlh"], "post", path, 404, forwarded, json=good)
        walk(t["op_kominfo"], "post", path, 409, forwarded, json={**good, "version": 99})
        walk(t["op_kominfo"], "post", path, 415, forwarded, **text)
        if name != "start":
            walk(t["op_kominfo"], "post", path, 413, forwarded, **big())
            walk(t["op_kominfo"], "post", path, 422, forwarded, content_type="multipart/form-data",
                 data={**good, "attachments": [_fake()]})
        walk(t["op_kominfo"], "post", path, 200, forwarded, json=good)
    # The citizen rates the resolved message; the OPD returns another one.
    rate = f"{one}/rate"
    walk(t["citizen_a"], "post", rate, 400, forwarded, json={"stars": 0})
    walk(None, "post", rate, 401, forwarded, json={"stars": 5})
    walk(t["admin"], "post", rate, 403, forwarded, json={"stars": 5})
    walk(t["citizen_b"], "post", rate, 404, forwarded, json={"stars": 5})
    walk(t["citizen_a"], "post", rate, 415, forwarded, **text)
    walk(t["citizen_a"], "post", rate, 200, forwarded, json={"stars": 5, "comment": "Cepat"})
    walk(t["citizen_a"], "post", rate, 409, forwarded, json={"stars": 4})
    back = f"{one}/return"
    target = {"pk": make_message(people["citizen_a"]).id}
    forward_to(db.session.get(Message, target["pk"]), "DISKOMINFO", admin=people["admin"])
    walk(t["op_kominfo"], "post", back, 400, target, json={})
    walk(None, "post", back, 401, target, json={"reason": "Bukan kami"})
    walk(t["admin"], "post", back, 403, target, json={"reason": "Bukan kami"})
    walk(t["op_dlh"], "post", back, 404, target, json={"reason": "Bukan kami"})
    walk(t["op_kominfo"], "post", back, 409, target, json={"reason": "x", "version": 99})
    walk(t["op_kominfo"], "post", back, 415, target, **text)
    walk(t["op_kominfo"], "post", back, 200, target, json={"reason": "Bukan kami"})
    # The Super Admin's staff-only instruction to the OPD of a forwarded message.
    instruct, good = f"{one}/instruct", {"instruction": "Segera tanggapi"}
    target = {"pk": make_message(people["citizen_a"]).id}
    forward_to(db.session.get(Message, target["pk"]), "DISKOMINFO", admin=people["admin"])
    _walk_refusals(walk, instruct, target, good, text, actor=t["boss"], refused=t["admin"])
    walk(t["boss"], "post", instruct, 200, target, json=good)

    # The sender's voice: a question and its answer, information, withdraw, reopen, appeal.
    _walk_voice(walk, t, people, one, text, big)

    # Flask-AppBuilder's own endpoints.
    login, credentials = "/api/v1/security/login", {
        "username": "a@example.test", "password": DEFAULT_PASSWORD, "provider": "db",
        "refresh": True}
    refresh = walk(None, "post", login, 200, json=credentials).get_json()["refresh_token"]
    walk(None, "post", login, 401, json={**credentials, "password": "salah-sekali-123"})
    walk(None, "post", login, 400, data="x", content_type="text/plain")
    while client.post(login, json={**credentials, "password": "tebak"}).status_code != 429:
        pass
    walk(None, "post", login, 429, json=credentials)
    walk({"Authorization": f"Bearer {refresh}"}, "post", "/api/v1/security/refresh", 200)
    walk(None, "post", "/api/v1/security/refresh", 401)
    for path, values in (("/api/v1/menu/", None), ("/api/{version}/_openapi", {"version": "v1"})):
        walk(t["boss"], "get", path, 200, values)
        walk(None, "get", path, 401, values)
        walk(t["citizen_a"], "get", path, 403, values)
    walk(t["boss"], "get", "/api/{version}/_openapi", 404, {"version": "v9"})

    # Every operation was walked; ours through every status they document.
    for path, item in document["paths"].items():
        for method in item:
            assert walk.seen[(path, method)], f"{method.upper()} {path} was not walked"
            if path.startswith(MESSAGES):
                assert walk.seen[(path, method)] == documented(document, path, method), path


def _walk_refusals(walk, path, target, good, text, *, actor, refused, stranger=None,
                   malformed=None):
    """A move's refusals: malformed (400, by `actor`), nobody signed in (401), not
    theirs to make (403, `refused`), not found (404: `stranger` asking for the
    message, or `actor` for one that does not exist), stale (409), not JSON (415)."""
    walk(actor, "post", path, 400, target, json={} if malformed is None else malformed)
    walk(None, "post", path, 401, target, json=good)
    walk(refused, "post", path, 403, target, json=good)
    if stranger is None:
        walk(actor, "post", path, 404, {"pk": 987654}, json=good)
    else:
        walk(stranger, "post", path, 404, target, json=good)
    walk(actor, "post", path, 409, target, json={**good, "version": 99})
    walk(actor, "post", path, 415, target, **text)


def _walk_voice(walk, t, people, one, text, big):
    from app import workflow

    def new_message():
        return {"pk": make_message(people["citizen_a"]).id}

    def message_of(target):
        return db.session.get(Message, target["pk"])

    asked = new_message()
    forward_to(message_of(asked), "DISKOMINFO", admin=people["admin"])
    ask = f"{one}/ask"
    _walk_refusals(walk, ask, asked, {"question": "?"}, text, actor=t["op_kominfo"],
                   refused=t["citizen_a"], stranger=t["op_dlh"])
    walk(t["op_kominfo"], "post", ask, 200, asked, json={"question": "Di RT berapa?"})
    # The answer first (the message waits for it), then information on the open message.
    for name in ("answer", "add_info"):
        path = f"{one}/{name}"
        _walk_refusals(walk, path, asked, {"text": "x"}, text, actor=t["citizen_a"],
                       refused=t["admin"], stranger=t["citizen_b"])
        walk(t["citizen_a"], "post", path, 413, asked, **big())
        walk(t["citizen_a"], "post", path, 422, asked, content_type="multipart/form-data",
             data={"text": "x", "attachments": [_fake()]})
        walk(t["citizen_a"], "post", path, 200, asked, json={"text": "RT 3"})

    resolved, rejected = new_message(), new_message()
    forward_to(message_of(resolved), "DISKOMINFO", admin=people["admin"])
    workflow.start(people["op_kominfo"], message_of(resolved))
    workflow.resolve(people["op_kominfo"], message_of(resolved), resolution="Beres")
    workflow.reject(people["admin"], message_of(rejected), reason="Duplikat")
    for name, target, good in (("withdraw", new_message(), {"reason": "Salah kirim"}),
                               ("reopen", resolved, {"reason": "Masih rusak"}),
                               ("appeal", rejected, {"reason": "Bukan duplikat"})):
        path = f"{one}/{name}"
        _walk_refusals(walk, path, target, good, text, actor=t["citizen_a"],
                       refused=t["admin"], stranger=t["citizen_b"], malformed={"reason": 5})
        walk(t["citizen_a"], "post", path, 200, target, json=good)

"""The API at its edges: a malformed request is a 400 naming the field (never a 500),
every refusal has the status a client expects, in the caller's language."""

import json

import pytest
from sqlalchemy import func, select

from app import workflow
from app.accounts.service import find_opd
from app.api.errors import REFUSAL_STATUS
from app.extensions import db
from app.models import Message
from app.workflow import Refusal

from .factories import forward_to, make_message
from .support import api as api_support
from .support.api import API, as_user, forward_body, fresh, login_token

people = api_support.people  # the fixture: two citizens, an Admin, a Super Admin, operators

TOO_BIG = 2**31


def _count_messages():
    return db.session.scalar(select(func.count()).select_from(Message))


@pytest.mark.parametrize(("body", "field"), [
    ({"title": 5, "body": "Isi"}, "title"),
    ({"title": ["Judul"], "body": "Isi"}, "title"),
    ({"title": {"a": 1}, "body": "Isi"}, "title"),
    ({"title": None, "body": "Isi"}, "title"),
    ({"title": "Judul"}, "body"),
    ({"title": "\ud800", "body": "Isi"}, "title"),
    ({"title": "Judul", "body": "nol\x00byte"}, "body"),
    ({"title": "x" * 201, "body": "Isi"}, "title"),
    ({"title": "Judul", "body": "Isi", "confidential": "yes"}, "confidential"),
    ({"title": "Judul", "body": "Isi", "confidential": 1}, "confidential"),
    ({"title": "Judul", "body": "Isi", "pengirim": "saya"}, "pengirim"),
])
def test_wrong_json_types_are_400_naming_the_field(people, client, body, field):
    """Is a submission with a wrong type, missing, overlong, unreadable or unknown field a
    400 whose `errors` names that field, with nothing stored?"""
    response = as_user(client, people, "citizen_a").post("/", json=body)
    assert response.status_code == 400, response.get_json()
    assert list(response.get_json()["errors"]) == [field]
    assert _count_messages() == 0


@pytest.mark.parametrize("stars", [True, "5", 4.0, 0, 6, TOO_BIG, None, [5]])
def test_stars_must_be_a_whole_number_from_1_to_5(people, client, stars):
    """Is a rating whose stars are a boolean, text, a float or out of 1..5 a 400 on `stars`?"""
    message = make_message(people["citizen_a"])
    response = as_user(client, people, "citizen_a").move(message.id, "rate", stars=stars)
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["stars"]


@pytest.mark.parametrize("raw", [
    '{"stars": Infinity}', '{"stars": NaN}', '{"stars": -Infinity}', '{"stars": 1e400}',
    '{"stars": 5', "[" * 10_000 + "]" * 10_000, '{"stars": ' + "[" * 10_000 + "]" * 10_000 + "}",
    b'{"stars": "\xff"}',
])
def test_json_beyond_the_standard_or_too_deep_is_400(people, client, raw):
    """Are NaN, Infinity, 1e400, broken or 10,000-deep JSON answered 400, not 500?"""
    message = make_message(people["citizen_a"])
    response = as_user(client, people, "citizen_a").post(
        f"/{message.id}/rate", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["message"]


def test_a_body_that_is_not_an_object_is_400(people, client):
    """Is a JSON list or string instead of an object a 400?"""
    api = as_user(client, people, "citizen_a")
    for body in ([1, 2], "Judul", 5):
        assert api.post("/", json=body).status_code == 400
    assert _count_messages() == 0


def test_ids_beyond_32_bits_are_400_in_bodies_and_404_in_paths(people, client):
    """Do ids of 2^31 and more get 400 in a body and 404 in a path, never a crash?"""
    message = make_message(people["citizen_a"])
    admin = as_user(client, people, "admin")
    body = {**forward_body(find_opd("DLH")), "opd_id": TOO_BIG, "category_id": 10**30}
    response = admin.move(message.id, "forward", **body)
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"opd_id", "category_id"}
    for path in (f"/{TOO_BIG}", "/99999999999999999999", f"/{message.id}/attachments/{TOO_BIG}"):
        response = admin.get(path)
        assert response.status_code == 404, path
        assert response.is_json
    assert admin.move(TOO_BIG, "reject", reason="Spam").status_code == 404
    assert db.session.get(Message, message.id).status == "baru"


@pytest.mark.parametrize(("query", "field"), [
    ("page=99999999999999999999", "page"), ("page=0", "page"), ("page=satu", "page"),
    ("page_size=101", "page_size"), ("page_size=-1", "page_size"),
    ("status=bogus", "status"), ("date_from=kemarin", "date_from"),
    ("date_from=2026-3-1", "date_from"), ("date_to=2026-02-30", "date_to"),
    ("date_from=2026-03-02&date_to=2026-03-01", "date_to"),
])
def test_bad_list_queries_are_400_naming_the_parameter(people, client, query, field):
    """Is a page, page size, status or date that is not valid a 400 naming the parameter?"""
    response = as_user(client, people, "admin").get(f"/?{query}")
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == [field]


def test_dates_at_the_ends_of_the_calendar_are_empty_windows(people, client):
    """Do ?date_to=0001-01-01 and ?date_from=9999-12-31 answer an empty list, not a 500?"""
    make_message(people["citizen_a"])
    api = as_user(client, people, "admin")
    for query in ("date_to=0001-01-01", "date_from=9999-12-31",
                  "date_from=0001-01-01&date_to=0001-12-31"):
        response = api.get(f"/?{query}")
        assert response.status_code == 200, query
        assert response.get_json()["count"] == 0
    assert api.get("/?date_from=0001-01-01&date_to=9999-12-31").get_json()["count"] == 1


@pytest.mark.parametrize("authorization", [
    "Bearer not-a-token", "Bearer a.b.c", "Basic YTpi", "Bearer",
])
def test_a_malformed_token_is_401_with_a_bearer_challenge(people, client, authorization):
    """Does a malformed or foreign Authorization header get 401 (not 422) in our shape?"""
    response = fresh(client, "get", f"{API}/?_l_=en", headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json() == {
        "message": "Your access token is missing, invalid or expired: sign in again."}


def test_a_tampered_or_refresh_token_is_401(people, client):
    """Is a token with a forged signature, or a refresh token used for access, a 401?"""
    token = login_token(client, "a@example.test")
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    refresh = fresh(client, "post", "/api/v1/security/login", json={
        "username": "a@example.test", "password": "Kaltim-rahasia-2026", "provider": "db",
        "refresh": True}).get_json()["refresh_token"]
    for bad in (forged, refresh):
        response = fresh(client, "get", f"{API}/", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401


def test_a_method_the_path_does_not_take_is_405_with_allow(people, client):
    """Does DELETE on a message answer 405 with an Allow header naming GET?"""
    message = make_message(people["citizen_a"])
    api = as_user(client, people, "citizen_a")
    response = api.raw("delete", f"{API}/{message.id}")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET"}
    assert "DELETE" not in response.headers["Allow"]
    response = api.raw("put", f"{API}/{message.id}/rate", json={"stars": 5})
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_refusals_speak_the_callers_language(people, client):
    """Is a 403 in Indonesian by default, in English for Accept-Language: en, and does
    ?_l_=id win over the header?"""
    message = make_message(people["citizen_a"])
    citizen = as_user(client, people, "citizen_a")
    english = {"Accept-Language": "en"}
    response = citizen.move(message.id, "reject", reason="x")
    assert response.status_code == 403
    assert response.get_json()["message"] == "Anda tidak diizinkan melakukan ini."
    response = citizen.post(f"/{message.id}/reject", json={}, headers=english)
    assert response.get_json()["message"] == "You are not allowed to do this."
    response = citizen.post(f"/{message.id}/reject?_l_=id", json={}, headers=english)
    assert response.get_json()["message"] == "Anda tidak diizinkan melakukan ini."


def test_the_accounts_language_counts_when_the_request_names_none(people, client):
    """Does a user who chose English get English answers without asking per request?"""
    people["citizen_a"].locale = "en"
    db.session.commit()
    response = as_user(client, people, "citizen_a").post("/", json={"title": "Judul"})
    assert response.get_json()["errors"] == {"body": ["This field is required."]}


def test_a_body_in_another_format_is_415(people, client):
    """Is plain text, or a form where only JSON is taken, a 415 that changes nothing?"""
    message = make_message(people["citizen_a"])
    admin = as_user(client, people, "admin")
    response = admin.post(f"/{message.id}/reject", data="reason=Spam", content_type="text/plain")
    assert response.status_code == 415
    response = admin.post(f"/{message.id}/reject", data={"reason": "Spam"},
                          content_type="multipart/form-data")
    assert response.status_code == 415
    assert db.session.get(Message, message.id).status == "baru"


def test_a_well_formed_move_the_workflow_refuses_is_422(people, client):
    """Is a forward to a subcategory of another category, or to an OPD that does not
    exist, a 422 that changes nothing?"""
    message = make_message(people["citizen_a"])
    admin = as_user(client, people, "admin")
    body = forward_body(find_opd("DLH"))
    other = forward_body(find_opd("DLH"), category="aspirasi")
    response = admin.move(message.id, "forward", **{**body,
                                                    "subcategory_id": other["subcategory_id"]})
    assert response.status_code == 422
    assert admin.move(message.id, "forward", **{**body, "opd_id": 987654}).status_code == 422
    assert db.session.get(Message, message.id).status == "baru"


def test_every_kind_of_workflow_refusal_has_a_status():
    """Does the API know the status of every kind of workflow refusal (an unknown kind
    would be a 500)?"""
    assert set(REFUSAL_STATUS) == set(Refusal)
    assert all(400 <= status < 500 for status in REFUSAL_STATUS.values())


def test_a_form_takes_booleans_and_numbers_as_text(people, client):
    """Does a multipart progress update read public=false and version=<n> from text?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    workflow.start(people["op_kominfo"], message)
    operator = as_user(client, people, "op_kominfo")
    version = operator.get(f"/{message.id}").get_json()["version"]
    response = operator.post(f"/{message.id}/progress", content_type="multipart/form-data",
                             data={"note": "Catatan internal", "public": "false",
                                   "version": str(version)})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["timeline"][-1]["kind"] == "note"
    response = operator.post(f"/{message.id}/progress", content_type="multipart/form-data",
                             data={"note": "x", "public": "mungkin"})
    assert list(response.get_json()["errors"]) == ["public"]


def test_answers_keep_their_fields(people, client):
    """Do the list, the detail and its timeline carry the same fields as before the schemas
    took over (the actor for staff only)?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    summary = {"id", "code", "title", "status", "opd", "returned", "reopen_count", "auto_closed",
               "created_at", "updated_at", "due_stage", "due_at", "overdue"}
    detail = summary | {"body", "location", "confidential", "category", "subcategory",
                        "resolution", "version", "author", "attachments", "timeline",
                        "rating", "allowed_moves"}
    entry = {"id", "kind", "from_status", "to_status", "note", "public", "created_at", "opd",
             "attachments"}
    citizen, staff = as_user(client, people, "citizen_a"), as_user(client, people, "admin")
    assert set(citizen.get("/").get_json()["result"][0]) == summary
    seen = citizen.get(f"/{message.id}").get_json()
    assert set(seen) == detail
    assert [set(e) for e in seen["timeline"]] == [entry, entry]
    assert seen["opd"] == {"id": find_opd("DISKOMINFO").id, "name": find_opd("DISKOMINFO").name,
                           "short_name": "DISKOMINFO"}
    assert set(seen["category"]) == {"id", "name"}
    assert seen["status"] == {"code": "diteruskan", "label": "Diteruskan ke OPD"}
    timeline = staff.get(f"/{message.id}").get_json()["timeline"]
    assert [set(e) for e in timeline] == [entry | {"actor"}] * 2
    assert json.loads(json.dumps(seen))["created_at"].endswith("+08:00")

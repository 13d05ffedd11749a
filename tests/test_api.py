"""The REST API: tokens only, each role sees and moves only what it may."""

import io

from sqlalchemy import func, select

from app import workflow
from app.accounts.service import find_opd
from app.extensions import db
from app.models import Message, OutboxEmail, Rating, StatusChange

from .factories import forward_to, make_message, make_user
from .support import api as api_support
from .support.api import API, as_user, forward_body, fresh, login_token

people = api_support.people  # the fixture: two citizens, an Admin, a Super Admin, operators


def _reload(message_id):
    db.session.expire_all()
    return db.session.get(Message, message_id)


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


# --- tokens, not cookies -------------------------------------------------------------

def test_login_returns_a_token_and_wrong_password_does_not(people, client):
    """Does the token login answer a JWT for the right password and 401 for a wrong one?"""
    assert login_token(client, "a@example.test")
    response = fresh(client, "post", "/api/v1/security/login", json={
        "username": "a@example.test", "password": "salah-sekali-123", "provider": "db"})
    assert response.status_code == 401
    assert "access_token" not in response.get_json()


def test_anonymous_gets_401_everywhere(people, client):
    """Does a caller without a token get 401 from the list, a message and a move?"""
    message = make_message(people["citizen_a"])
    for method, path in [("get", "/"), ("get", f"/{message.id}"),
                         ("post", "/"), ("post", f"/{message.id}/reject")]:
        response = fresh(client, method, API + path, json={})
        assert response.status_code == 401, (method, path)
    assert _reload(message.id).status == "baru"


def test_browser_session_cookie_cannot_drive_the_api(people, client, auth):
    """Is an Admin signed in to the web pages (cookie only) refused by state-changing API calls?"""
    message = make_message(people["citizen_a"])
    assert auth.login("admin@example.test").status_code == 302
    response = fresh(client, "post", f"{API}/{message.id}/reject", json={"reason": "Spam"})
    assert response.status_code == 401
    response = fresh(client, "post", f"{API}/{message.id}/escalate", json={"reason": "Tidak jelas"})
    assert response.status_code == 401
    assert fresh(client, "get", f"{API}/").status_code == 401
    assert _reload(message.id).status == "baru"


def test_token_login_is_rate_limited(people, client):
    """Are repeated password guesses on the token login cut off with 429?"""
    codes = [
        fresh(client, "post", "/api/v1/security/login", json={
            "username": "a@example.test", "password": f"tebak-{n}", "provider": "db"
        }).status_code
        for n in range(12)
    ]
    assert codes[0] == 401
    assert codes[-1] == 429


def test_unverified_citizen_gets_a_clear_403(db_session, client):
    """Does a citizen who has not confirmed their email get 403 with an explanation?"""
    make_user("User", email="baru@example.test", verified=False)
    token = login_token(client, "baru@example.test")
    headers = {"Authorization": f"Bearer {token}"}
    response = fresh(client, "get", f"{API}/?_l_=en", headers=headers)
    assert response.status_code == 403
    assert "verify your email" in response.get_json()["message"]
    response = fresh(client, "post", f"{API}/", headers=headers,
                     json={"title": "Halo", "body": "Isi"})
    assert response.status_code == 403
    assert _count(Message) == 0


# --- who sees what ----------------------------------------------------------------------

def test_citizen_lists_only_their_own_messages_newest_first(people, client):
    """Does a citizen's list hold only their own messages, newest first?"""
    first = make_message(people["citizen_a"], title="Pertama")
    second = make_message(people["citizen_a"], title="Kedua")
    make_message(people["citizen_b"], title="Punya B")
    body = as_user(client, people, "citizen_a").get("/").get_json()
    assert [row["id"] for row in body["result"]] == [second.id, first.id]
    assert body["count"] == 2


def test_citizen_b_gets_404_on_a_message_of_a(people, client):
    """Does citizen B get 404 (not 403) for A's message, for reading and rating?"""
    message = make_message(people["citizen_a"])
    api_b = as_user(client, people, "citizen_b")
    assert api_b.get(f"/{message.id}").status_code == 404
    assert api_b.move(message.id, "rate", stars=5).status_code == 404
    assert api_b.get("/999999").status_code == 404


def test_operator_of_another_opd_gets_404_on_reading_and_every_move(people, client):
    """Is a DISKOMINFO message invisible to a DLH operator, for reading and for every move?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    api = as_user(client, people, "op_dlh")
    assert api.get("/").get_json()["count"] == 0
    assert api.get(f"/{message.id}").status_code == 404
    for move in ("start", "progress", "return", "resolve"):
        response = api.move(message.id, move, note="x", reason="x", resolution="x")
        assert response.status_code == 404, move
    assert _reload(message.id).status == "diteruskan"
    assert [c.kind for c in _reload(message.id).changes] == ["submit", "forward"]


def test_operator_lists_their_opd_messages_and_filters_by_status(people, client):
    """Does an operator see their OPD's messages only, and does ?status= narrow the list?"""
    ours = make_message(people["citizen_a"])
    forward_to(ours, "DISKOMINFO", admin=people["admin"])
    started = make_message(people["citizen_b"])
    forward_to(started, "DISKOMINFO", admin=people["admin"])
    workflow.start(people["op_kominfo"], started)
    theirs = make_message(people["citizen_a"])
    forward_to(theirs, "DLH", admin=people["admin"])
    make_message(people["citizen_a"])  # still with the Admins
    api = as_user(client, people, "op_kominfo")
    assert {row["id"] for row in api.get("/").get_json()["result"]} == {ours.id, started.id}
    rows = api.get("/?status=diproses").get_json()["result"]
    assert [row["id"] for row in rows] == [started.id]
    assert api.get("/?status=bogus").status_code == 400


def test_admin_sees_everything_and_pages_through_it(people, client):
    """Does an Admin see every message, page by page?"""
    ids = [make_message(people["citizen_a"]).id for _ in range(3)]
    api = as_user(client, people, "admin")
    page1 = api.get("/?page=1&page_size=2").get_json()
    page2 = api.get("/?page=2&page_size=2").get_json()
    assert page1["count"] == 3
    assert [r["id"] for r in page1["result"] + page2["result"]] == sorted(ids, reverse=True)
    assert api.get("/?page=0").status_code == 400


def test_date_filter_uses_local_days(people, client):
    """Does ?date_from/date_to keep messages of those local days and refuse a bad date?"""
    from datetime import datetime

    old = make_message(people["citizen_a"])
    new = make_message(people["citizen_a"])
    # 2026-03-01 23:30 WITA is 15:30 UTC the same day.
    old.created_at = datetime(2026, 3, 1, 15, 30)
    new.created_at = datetime(2026, 3, 1, 16, 30)  # 2 March 00:30 WITA
    db.session.commit()
    api = as_user(client, people, "admin")
    rows = api.get("/?date_from=2026-03-02&date_to=2026-03-02").get_json()["result"]
    assert [r["id"] for r in rows] == [new.id]
    rows = api.get("/?date_to=2026-03-01").get_json()["result"]
    assert [r["id"] for r in rows] == [old.id]
    assert api.get("/?date_from=kemarin").status_code == 400


def test_operator_sees_no_identity_of_a_confidential_author(people, client):
    """Does an operator get 'identity kept confidential' instead of name, email and phone?"""
    message = make_message(people["citizen_a"], confidential=True)
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    response = as_user(client, people, "op_kominfo").get(f"/{message.id}?_l_=en")
    text = response.get_data(as_text=True)
    assert response.get_json()["author"]["confidential"] is True
    for secret in ("Ani Warga", "a@example.test", "0811000111"):
        assert secret not in text
    admin_view = as_user(client, people, "admin").get(f"/{message.id}").get_json()
    assert admin_view["author"]["email"] == "a@example.test"


def test_citizen_sees_the_public_timeline_only(people, client):
    """Does the citizen's detail leave out internal notes and staff names?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    operator = people["op_kominfo"]
    workflow.start(operator, message)
    workflow.progress(operator, message, note="Catatan internal rahasia", public=False)
    workflow.progress(operator, message, note="Tim sudah ke lokasi")
    body = as_user(client, people, "citizen_a").get(f"/{message.id}").get_json()
    assert [e["kind"] for e in body["timeline"]] == ["submit", "forward", "start", "progress"]
    assert "Catatan internal rahasia" not in str(body)
    assert all("actor" not in entry for entry in body["timeline"])
    staff = as_user(client, people, "op_kominfo").get(f"/{message.id}").get_json()
    assert "note" in [e["kind"] for e in staff["timeline"]]


def test_timeline_actor_of_a_confidential_message_is_masked_for_operators(people):
    """Does the submit entry's actor (the author) stay hidden from the operator?"""
    from app.policy import CONFIDENTIAL_LABEL, actor_name

    message = make_message(people["citizen_a"], confidential=True)
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    submit_entry, forward_entry = message.changes
    assert actor_name(people["op_kominfo"], submit_entry) == str(CONFIDENTIAL_LABEL)
    assert actor_name(people["op_kominfo"], forward_entry) == people["admin"].display_name
    assert actor_name(people["admin"], submit_entry) == "Ani Warga"


# --- moves -----------------------------------------------------------------------------

def test_illegal_move_is_a_json_refusal_and_changes_nothing(people, client):
    """Is resolving a new message a 409 JSON refusal that leaves no trace?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    changes, mails = _count(StatusChange), _count(OutboxEmail)
    api = as_user(client, people, "op_kominfo")
    response = api.move(message.id, "resolve", resolution="Sudah")
    assert response.status_code == 409
    assert response.is_json and response.get_json()["message"]
    assert _reload(message.id).status == "diteruskan"
    assert (_count(StatusChange), _count(OutboxEmail)) == (changes, mails)


def test_blank_resolution_is_400_naming_the_field_in_the_callers_language(people, client):
    """Is a resolve with blank text a 400 naming the field, in English for ?_l_=en and in
    Indonesian for Accept-Language: id?"""
    message = make_message(people["citizen_a"])
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    workflow.start(people["op_kominfo"], message)
    api = as_user(client, people, "op_kominfo")
    response = api.post(f"/{message.id}/resolve?_l_=en", json={"resolution": "  "})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"resolution": ["This field is required."]}
    response = api.post(f"/{message.id}/resolve", json={},
                        headers={"Accept-Language": "id"})
    assert response.get_json()["errors"] == {"resolution": ["Isian ini wajib diisi."]}
    assert _reload(message.id).status == "diproses"


def test_wrong_role_is_refused(people, client):
    """Is a citizen refused a staff move, and an Admin refused an operator move?"""
    message = make_message(people["citizen_a"])
    citizen = as_user(client, people, "citizen_a")
    assert citizen.move(message.id, "reject", reason="x").status_code == 403
    forward_to(message, "DISKOMINFO", admin=people["admin"])
    assert as_user(client, people, "admin").move(message.id, "start").status_code == 403
    # The Super Admin holds every permission, but the workflow still says no.
    response = as_user(client, people, "boss").move(message.id, "start")
    assert response.status_code == 403 and response.is_json
    assert _reload(message.id).status == "diteruskan"


def test_stale_version_is_a_409_conflict(people, client):
    """Does a move sent with an outdated version get 409 and change nothing?"""
    message = make_message(people["citizen_a"])
    api = as_user(client, people, "admin")
    version = api.get(f"/{message.id}").get_json()["version"]
    workflow.escalate(people["admin"], message, reason="Perlu keputusan")
    response = api.move(message.id, "reject", reason="Spam", version=version)
    assert response.status_code == 409
    assert _reload(message.id).status == "eskalasi"


def test_bad_bodies_are_400_not_500(people, client):
    """Do malformed JSON, a JSON list and bad ids get 400 rather than a crash?"""
    message = make_message(people["citizen_a"])
    api = as_user(client, people, "admin")
    response = api.post(f"/{message.id}/forward", data="{nope",
                        content_type="application/json")
    assert response.status_code == 400
    assert api.post(f"/{message.id}/forward", json=[1, 2]).status_code == 400
    response = api.move(message.id, "forward", category_id="x", subcategory_id=None, opd_id=[])
    assert response.status_code == 400
    assert _reload(message.id).status == "baru"


def test_full_journey_through_the_api(people, client):
    """Can a message go submit → forward → start → progress → resolve → rate over the API?"""
    citizen = as_user(client, people, "citizen_a")
    response = citizen.post("/", json={"title": "Lampu jalan mati",
                                       "body": "Sudah seminggu gelap.", "location": "Balikpapan"})
    assert response.status_code == 201
    created = response.get_json()
    assert created["code"].startswith("AE-") and created["status"]["code"] == "baru"
    pk = created["id"]

    admin = as_user(client, people, "admin")
    body = forward_body(find_opd("DISKOMINFO"))
    assert admin.move(pk, "forward", note="Mohon ditindaklanjuti", **body).status_code == 200
    operator = as_user(client, people, "op_kominfo")
    assert operator.move(pk, "start").get_json()["status"]["code"] == "diproses"
    assert citizen.move(pk, "rate", stars=5).status_code == 409  # not resolved yet
    assert operator.move(pk, "progress", note="Teknisi dijadwalkan").status_code == 200
    response = operator.move(pk, "resolve", resolution="Lampu sudah diganti.")
    assert response.get_json()["status"]["code"] == "selesai"

    response = citizen.move(pk, "rate", stars=4, comment="Cepat")
    assert response.status_code == 200
    assert response.get_json()["rating"] == {"stars": 4, "comment": "Cepat"}
    assert citizen.move(pk, "rate", stars=5).status_code == 409
    detail = citizen.get(f"/{pk}").get_json()
    assert [e["kind"] for e in detail["timeline"]] == [
        "submit", "forward", "start", "progress", "resolve"]
    assert detail["resolution"] == "Lampu sudah diganti."
    assert _count(Rating) == 1


def test_escalate_decide_and_return_through_the_api(people, client):
    """Do escalate (Admin), forward (Super Admin) and return (Operator) work over the API?"""
    message = make_message(people["citizen_a"])
    admin, boss = as_user(client, people, "admin"), as_user(client, people, "boss")
    assert admin.move(message.id, "escalate", reason="").status_code == 400
    assert admin.move(message.id, "escalate", reason="OPD tidak jelas").status_code == 200
    body = forward_body(find_opd("DLH"))
    assert admin.move(message.id, "forward", **body).status_code == 403
    assert boss.move(message.id, "forward", **body).status_code == 200
    response = as_user(client, people, "op_dlh").move(message.id, "return", reason="Bukan kami")
    assert response.status_code == 200
    assert response.get_json()["returned"] is True
    assert _reload(message.id).status == "baru" and _reload(message.id).opd_id is None


def test_submit_with_attachments_over_multipart(people, client):
    """Does a multipart submission keep a valid PDF and refuse a fake one with 422?"""
    citizen = as_user(client, people, "citizen_a")
    pdf = (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"), "surat.pdf")
    response = citizen.post("/", data={"title": "Berkas", "body": "Lihat lampiran",
                                       "attachments": [pdf]},
                            content_type="multipart/form-data")
    assert response.status_code == 201
    created = response.get_json()
    assert [a["name"] for a in created["attachments"]] == ["surat.pdf"]
    download = citizen.get(f"/{created['id']}/attachments/{created['attachments'][0]['id']}")
    assert download.data.startswith(b"%PDF-")
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert as_user(client, people, "citizen_b").get(
        f"/{created['id']}/attachments/{created['attachments'][0]['id']}").status_code == 404

    fake = (io.BytesIO(b"MZ not a pdf"), "virus.pdf")
    response = citizen.post("/", data={"title": "Palsu", "body": "x", "attachments": [fake]},
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "virus.pdf" in response.get_json()["message"]
    assert _count(Message) == 1


def test_only_citizens_submit(people, client):
    """Is an Admin refused when sending a message as if a citizen?"""
    response = as_user(client, people, "admin").post("/", json={"title": "x", "body": "y"})
    assert response.status_code == 403
    assert _count(Message) == 0


# --- FAB's own API surface ---------------------------------------------------------------

def test_openapi_spec_loads_for_super_admin_and_documents_messages(people, client):
    """Does the OpenAPI spec load (Super Admin) and list the message endpoints?"""
    boss = as_user(client, people, "boss")
    response = boss.raw("get", "/api/v1/_openapi")
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    assert "/api/v1/messages/" in paths and "/api/v1/messages/{pk}/resolve" in paths
    assert fresh(client, "get", "/api/v1/_openapi").status_code == 401
    citizen = as_user(client, people, "citizen_a")
    assert citizen.raw("get", "/api/v1/_openapi").status_code == 403


def test_no_user_role_or_api_key_endpoints_are_exposed(people, client, app):
    """Does FAB expose nothing under /api/v1/security but login and refresh?"""
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/security")}
    assert rules == {"/api/v1/security/login", "/api/v1/security/refresh"}
    citizen = as_user(client, people, "citizen_a")
    for path in ("/api/v1/security/users/", "/api/v1/security/roles/",
                 "/api/v1/security/api_keys/"):
        assert citizen.raw("get", path).status_code == 404, path


def test_menu_api_is_for_the_super_admin_only(people, client):
    """Is FAB's menu API closed to citizens and staff other than the Super Admin?"""
    for who in ("citizen_a", "admin", "op_kominfo"):
        assert as_user(client, people, who).raw("get", "/api/v1/menu/").status_code == 403, who
    boss = as_user(client, people, "boss")
    assert boss.raw("get", "/api/v1/menu/").status_code == 200


def test_ldap_provider_is_not_a_crash(people, client):
    """Does asking for the LDAP provider (not configured) answer 401, not 500?"""
    response = fresh(client, "post", "/api/v1/security/login", json={
        "username": "a@example.test", "password": "x", "provider": "ldap"})
    assert response.status_code in (400, 401)


def test_swagger_ui_is_served_locally_to_the_super_admin(people, client, auth):
    """Does the Swagger UI page load for the Super Admin without any external script?"""
    import re

    auth.login("boss@example.test")
    response = client.get("/swagger/v1")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.get_data(as_text=True))
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    auth.logout()
    auth.login("a@example.test")
    assert client.get("/swagger/v1").status_code in (302, 403)


def test_password_change_revokes_existing_tokens(people, client):
    """Does a token issued before a password change stop working after it?"""
    from app.accounts.service import set_password

    citizen = as_user(client, people, "citizen_a")
    assert citizen.get("/").status_code == 200
    set_password(people["citizen_a"], "Kata-sandi-baru-2027")
    db.session.commit()
    assert citizen.get("/").status_code == 401
    fresh_token = login_token(client, "a@example.test", "Kata-sandi-baru-2027")
    response = fresh(client, "get", API + "/", headers={"Authorization": f"Bearer {fresh_token}"})
    assert response.status_code == 200

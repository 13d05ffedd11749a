"""A form sent after its CSRF token expired (the person signed out and in again in
another tab) comes back with what was typed and a fresh token; every error page has
the normal layout, signed in or not."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Message, Opd

from .factories import forward_to, make_message, make_user
from .support.accounts import csrf_token

STAFF_PASSWORD = "Kaltim-rahasia-2026"
EXPIRED = "Formulir Anda sudah kedaluwarsa"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


def _sign_in(client, email):
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    response = client.post("/login/", data={"username": email, "password": STAFF_PASSWORD,
                                             "csrf_token": token})
    assert response.status_code == 302


def _sign_out_and_in_again(client, email):
    """What another tab does (sign out, sign in): the session, and with it the form's
    token, is new."""
    client.delete_cookie(client.application.config["SESSION_COOKIE_NAME"])
    _sign_in(client, email)


def _sent_with_an_expired_token(client, email, path, data):
    """(answer, the old token): `data` posted to the form at `path` with the token of an
    earlier sign-in."""
    _sign_in(client, email)
    old_token = csrf_token(client.get(path).get_data(as_text=True))
    _sign_out_and_in_again(client, email)
    return client.post(path, data={**data, "csrf_token": old_token}), old_token


def _tokens(html, prefix=""):
    return set(re.findall(rf'name="{prefix}csrf_token" type="hidden" value="([^"]+)"', html))


def test_an_expired_message_form_comes_back_with_what_was_typed(app, client):
    """Does a citizen's message, sent with an expired token, come back (400) with its
    title and text and a fresh token that then sends it?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    typed = {"title": "Jembatan retak di Loa Janan", "body": "Retaknya makin lebar tiap hari."}
    response, old_token = _sent_with_an_expired_token(client, "warga@example.test",
                                                      "/pesan/add", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert typed["title"] in page and typed["body"] in page
    assert "kedaluwarsa" in page
    fresh = _tokens(page) - {old_token}
    assert fresh
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    response = client.post("/pesan/add", data={**typed, "csrf_token": fresh.pop()})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Message.title)) == typed["title"]


def test_an_expired_move_form_comes_back_with_what_was_typed(app, client):
    """Does an Operator's update, sent with an expired token, come back (400) on the
    normal page with the note as typed, and change nothing?"""
    with app.app_context():
        make_user("Operator", email="op@example.test", opd="DLH")
        message = make_message(title="Sungai keruh")
        forward_to(message, "DLH")
        message_id, version = message.id, message.version
    _sign_in(client, "op@example.test")
    detail = client.get(f"/opd/show/{message_id}").get_data(as_text=True)
    (old_token,) = _tokens(detail, "progress-")
    _sign_out_and_in_again(client, "op@example.test")
    response = client.post(f"/opd/progress/{message_id}", data={
        "progress-note": "Tim sudah mengambil sampel air.", "progress-visibility": "internal",
        "progress-version": str(version), "progress-csrf_token": old_token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tim sudah mengambil sampel air." in page
    assert _tokens(page, "progress-") - {old_token}
    assert "/logout/" in page  # the normal layout, menu and all
    with app.app_context():
        assert db.session.get(Message, message_id).version == version


def test_an_expired_reference_form_comes_back_with_what_was_typed(app, client):
    """Does an Admin's new OPD, sent with an expired token, come back (400) with the
    name typed and a message saying what happened?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
    response, _ = _sent_with_an_expired_token(client, "admin@example.test", "/opdview/add", {
        "name": "Dinas Pariwisata", "short_name": "DISPAR", "active": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Dinas Pariwisata"' in page and EXPIRED in page
    with app.app_context():
        assert db.session.scalar(select(Opd).where(Opd.short_name == "DISPAR")) is None


@pytest.mark.parametrize("role", ["User", "Operator"])
def test_an_expired_profile_form_comes_back_with_what_was_typed(app, client, role):
    """Does a profile edit sent with an expired token come back (400) with the name and
    phone as typed, a message saying so and a fresh token that then saves them?"""
    with app.app_context():
        user = make_user(role, email="orang@example.test", name="Nama Lama",
                         opd="DLH" if role == "Operator" else None)
        user_id = user.id
    typed = {"full_name": "Siti Rahmawati", "phone": "081234567890"}
    response, old_token = _sent_with_an_expired_token(client, "orang@example.test",
                                                      "/profile/edit", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Siti Rahmawati"' in page and 'value="081234567890"' in page
    assert "kedaluwarsa" in page and "/logout/" in page
    fresh = _tokens(page) - {old_token}
    assert fresh
    with app.app_context():
        assert db.session.get(type(user), user_id).full_name == "Nama Lama"
    response = client.post("/profile/edit", data={**typed, "csrf_token": fresh.pop()})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(type(user), user_id).full_name == "Siti Rahmawati"


def test_an_expired_password_form_comes_back_and_changes_nothing(app, client):
    """Does a password change sent with an expired token come back (400) on its own page
    with a fresh token, leaving the old password in force?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    new_password = "Sungai-Mahakam-lebar-99"
    form = {"current_password": STAFF_PASSWORD, "password": new_password,
            "confirm": new_password}
    response, old_token = _sent_with_an_expired_token(client, "warga@example.test",
                                                      "/profile/password", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "kedaluwarsa" in page and 'name="current_password"' in page
    assert new_password not in page  # passwords are never sent back
    assert _tokens(page) - {old_token}
    client.delete_cookie(client.application.config["SESSION_COOKIE_NAME"])
    _sign_in(client, "warga@example.test")  # the old password still works


@pytest.mark.parametrize("role", ["User", "Operator"])
def test_a_refused_form_elsewhere_gets_the_normal_error_page(app, client, role):
    """When a form without its own handling (the sign-out button) is refused for its
    token, does a signed-in person get the error page with the normal layout (their
    menu, sign out)?"""
    with app.app_context():
        make_user(role, email="orang@example.test", opd="DLH" if role == "Operator" else None)
    _sign_in(client, "orang@example.test")
    response = client.post("/logout/", data={"csrf_token": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "/logout/" in page and "/profile/" in page
    assert "kedaluwarsa" in page

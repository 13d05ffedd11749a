"""Every account form refuses a POST that does not carry its CSRF token."""

import pytest

from .factories import make_user
from .support.accounts import csrf_token


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


FORMS = {
    "/login/": {"username": "a@example.com", "password": "Kaltim-rahasia-2026"},
    "/account/register": {"full_name": "Siti", "email": "a@example.com",
                          "password": "Kaltim-rahasia-2026", "confirm": "Kaltim-rahasia-2026"},
    "/account/forgot-password": {"email": "a@example.com"},
}


@pytest.mark.parametrize("path", sorted(FORMS))
def test_post_without_token_is_refused_with_a_friendly_page(client, path):
    """Is a form posted without its CSRF token refused (400) with an explanation?"""
    response = client.post(path, data=FORMS[path])
    assert response.status_code == 400
    assert b"Traceback" not in response.data
    assert b"<html" in response.data.lower()


@pytest.mark.parametrize("path", sorted(FORMS))
def test_post_with_the_token_is_accepted(client, path):
    """Does the same form go through once it carries the token from the page?"""
    token = csrf_token(client.get(path).get_data(as_text=True))
    response = client.post(path, data={**FORMS[path], "csrf_token": token})
    assert response.status_code in (200, 302)


def test_profile_and_resend_need_the_token_too(app, client):
    """Are the signed-in forms (profile, password, resend) CSRF-protected as well?"""
    with app.app_context():
        make_user(email="csrf@example.test")
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    client.post("/login/", data={"username": "csrf@example.test",
                                 "password": "Kaltim-rahasia-2026", "csrf_token": token})
    assert client.get("/profile/").status_code == 200
    for path in ("/profile/edit", "/profile/password", "/account/resend"):
        assert client.post(path, data={"full_name": "X Y"}).status_code == 400

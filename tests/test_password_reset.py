"""Forgotten password and password changes, with mail through a real SMTP server."""

import pytest

from .conftest import DEFAULT_PASSWORD
from .factories import make_user
from .support.accounts import NEW_PASSWORD, path_of, user_by_email, without_csrf
from .support.mail import smtp_config, smtp_server  # noqa: F401


@pytest.fixture
def app_config(smtp_server):  # noqa: F811
    return smtp_config(smtp_server)


def _ask_for_reset(client, email):
    return client.post("/account/forgot-password", data={"email": email})


def _reset(client, link, password=NEW_PASSWORD):
    return client.post(link, data={"password": password, "confirm": password})


def test_forgot_receive_reset_log_in_old_link_refused(app, client, auth,
                                                      smtp_server):  # noqa: F811
    """Can a citizen reset a forgotten password by email, once, and sign in with it?"""
    with app.app_context():
        make_user(email="lupa@example.com")
    assert _ask_for_reset(client, "lupa@example.com").status_code == 302
    link = path_of(smtp_server.last_to("lupa@example.com").link_to("/account/reset-password/"))

    assert client.get(link).status_code == 200
    done = _reset(client, link)
    assert done.status_code == 302 and "/login/" in done.headers["Location"]

    assert auth.login("lupa@example.com", DEFAULT_PASSWORD).status_code == 200  # old: refused
    assert auth.login("lupa@example.com", NEW_PASSWORD).status_code == 302
    auth.logout()
    assert client.get(link).status_code == 400
    assert _reset(client, link, "Yet-another-pass-99").status_code == 400
    assert auth.login("lupa@example.com", NEW_PASSWORD).status_code == 302

    changed = smtp_server.last_to("lupa@example.com")  # the "password changed" notice
    assert not any("/account/reset-password/" in url for url in changed.links())
    assert "http://localhost/account/forgot-password" in changed.text
    assert changed.html


def test_reset_link_is_void_after_any_password_change(app, client, smtp_server):  # noqa: F811
    """Does a password change made elsewhere void a reset link sent before it?"""
    with app.app_context():
        make_user(email="dua@example.com")
    _ask_for_reset(client, "dua@example.com")
    first = path_of(smtp_server.last_to("dua@example.com").link_to("/account/reset-password/"))
    _ask_for_reset(client, "dua@example.com")
    second = path_of(smtp_server.last_to("dua@example.com").link_to("/account/reset-password/"))
    assert _reset(client, second).status_code == 302
    assert client.get(first).status_code == 400


def test_expired_reset_link_is_refused(app, client, monkeypatch):
    """Is a reset link older than an hour refused?"""
    import itsdangerous.timed

    from app.accounts import tokens

    with app.app_context():
        user = make_user(email="tua@example.com")
        max_age = app.config["RESET_TOKEN_MAX_AGE"]

        class _Past:
            @staticmethod
            def time():
                import time
                return time.time() - max_age - 5

        monkeypatch.setattr(itsdangerous.timed, "time", _Past)
        token = tokens.make_reset_token(user)
        monkeypatch.undo()
    assert client.get(f"/account/reset-password/{token}").status_code == 400
    assert _reset(client, f"/account/reset-password/{token}").status_code == 400


def test_forgot_answers_the_same_for_known_and_unknown_emails(app, client,
                                                              smtp_server):  # noqa: F811
    """Does the forgot-password page answer alike whether or not the account exists?"""
    with app.app_context():
        make_user(email="ada@example.com")
    known = _ask_for_reset(client, "ada@example.com")
    unknown = _ask_for_reset(client, "tidak-ada@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert without_csrf(client.get(known.headers["Location"]).get_data(as_text=True)) == \
        without_csrf(client.get(unknown.headers["Location"]).get_data(as_text=True))
    assert smtp_server.to("ada@example.com")
    assert not smtp_server.to("tidak-ada@example.com")


def test_forgot_password_is_rate_limited(app, client):
    """Are reset requests limited (RESET_LIMIT)?"""
    statuses = [_ask_for_reset(client, f"x{i}@example.com").status_code for i in range(6)]
    assert statuses == [302] * 5 + [429]


def test_reset_mail_in_english_for_an_english_user(app, client, auth,
                                                   smtp_server):  # noqa: F811
    """Does a user who chose English get the reset email in English?"""
    with app.app_context():
        make_user(email="en@example.com")
    auth.login("en@example.com")
    client.get("/lang/en")
    auth.logout()
    _ask_for_reset(client, "en@example.com")
    mail = smtp_server.last_to("en@example.com")
    assert mail.subject == "Choose a new password for Aspirasi Etam"


def test_password_change_ends_other_sessions_only(app, auth, smtp_server):  # noqa: F811
    """After changing the password, is the other browser signed out and this one not?"""
    with app.app_context():
        make_user(email="dua-sesi@example.com")
    here, elsewhere = app.test_client(), app.test_client()
    from .conftest import Auth

    Auth(here).login("dua-sesi@example.com")
    Auth(elsewhere).login("dua-sesi@example.com")
    assert elsewhere.get("/profile/").status_code == 200

    response = here.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert here.get("/profile/").status_code == 200
    other = elsewhere.get("/profile/")
    assert other.status_code == 302 and "/login/" in other.headers["Location"]
    assert smtp_server.last_to("dua-sesi@example.com").text


def test_password_change_needs_the_current_password(app, client, auth):
    """Is a password change with a wrong current password refused with a field error?"""
    with app.app_context():
        make_user(email="salah@example.com")
    auth.login("salah@example.com")
    response = client.post("/profile/password", data={
        "current_password": "Not-my-password-1", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    })
    assert response.status_code == 400  # a refused form, as every other one
    assert b"field-error" in response.data
    auth.logout()
    assert auth.login("salah@example.com", DEFAULT_PASSWORD).status_code == 302


def test_reset_also_verifies_an_unverified_email(app, client, smtp_server):  # noqa: F811
    """Does following a reset link (proof of the mailbox) count as verification?"""
    with app.app_context():
        make_user(email="belum@example.com", verified=False)
    _ask_for_reset(client, "belum@example.com")
    link = path_of(smtp_server.last_to("belum@example.com").link_to("/account/reset-password/"))
    _reset(client, link)
    assert user_by_email(app, "belum@example.com").email_verified_at is not None

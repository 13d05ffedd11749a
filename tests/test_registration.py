"""Citizen registration and email verification, with mail through a real SMTP server."""

import itsdangerous.timed
import pytest

from app.accounts import tokens
from app.extensions import db
from app.models import AppUser

from .conftest import DEFAULT_PASSWORD
from .factories import make_user
from .support.accounts import path_of, register, user_by_email, without_csrf
from .support.mail import smtp_config, smtp_server  # noqa: F401


@pytest.fixture
def app_config(smtp_server):  # noqa: F811
    return smtp_config(smtp_server)


def _verify_link(smtp_server, email):  # noqa: F811
    return path_of(smtp_server.last_to(email).link_to("/account/verify/"))


def test_register_receive_verify_then_log_in(app, client, auth, smtp_server):  # noqa: F811
    """Can a citizen register, get the link by email, follow it, and then use the app?"""
    response = register(client, "siti@example.com")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert b"siti@example.com" not in page.data  # the page is the same for everyone

    user = user_by_email(app, "siti@example.com")
    assert user.email_verified_at is None
    assert user.role_names == {"User"}
    assert user.full_name == "Siti Rahma"

    link = _verify_link(smtp_server, "siti@example.com")
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert user_by_email(app, "siti@example.com").email_verified_at is None  # GET spends nothing
    done = client.post(link)
    assert done.status_code == 302
    assert user_by_email(app, "siti@example.com").email_verified_at is not None

    assert auth.login("siti@example.com").status_code == 302
    assert client.get("/profile/").status_code == 200


def test_verification_mail_has_text_and_html_in_indonesian(app, client, smtp_server):  # noqa: F811
    """Is the verification email Indonesian by default, with plain text and HTML parts?"""
    register(client, "budi@example.com")
    mail = smtp_server.last_to("budi@example.com")
    assert mail.text and mail.html
    assert "http://localhost/account/verify/" in mail.text
    assert "http://localhost/account/verify/" in mail.html
    assert 'lang="id"' in mail.html


def test_verification_mail_in_english_when_registering_in_english(app, client,
                                                                   smtp_server):  # noqa: F811
    """Does someone who registers with the English UI get the email in English?"""
    client.get("/lang/en")
    register(client, "anna@example.com")
    mail = smtp_server.last_to("anna@example.com")
    assert mail.subject == "Verify your email address for Aspirasi Etam"
    assert 'lang="en"' in mail.html
    assert user_by_email(app, "anna@example.com").locale == "en"


def test_verify_link_works_only_once(app, client, smtp_server):  # noqa: F811
    """Is a verification link that was already used refused?"""
    register(client, "once@example.com")
    link = _verify_link(smtp_server, "once@example.com")
    assert client.post(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    assert client.post(link).status_code == 400


def test_expired_verify_link_is_refused(app, client, monkeypatch):
    """Is a verification link older than 48 hours refused, and the account left unverified?"""
    with app.app_context():
        user = make_user(email="late@example.com", verified=False)
        max_age = app.config["VERIFY_TOKEN_MAX_AGE"]

        class _Past:
            @staticmethod
            def time():
                import time
                return time.time() - max_age - 60

        monkeypatch.setattr(itsdangerous.timed, "time", _Past)
        token = tokens.make_verify_token(user)
        monkeypatch.undo()
    response = client.get(f"/account/verify/{token}")
    assert response.status_code == 400
    assert client.post(f"/account/verify/{token}").status_code == 400
    assert user_by_email(app, "late@example.com").email_verified_at is None


def test_tampered_verify_link_is_refused(app, client, smtp_server):  # noqa: F811
    """Is a verification link with a changed signature refused?"""
    register(client, "tamper@example.com")
    link = _verify_link(smtp_server, "tamper@example.com")
    assert client.post(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 400
    assert user_by_email(app, "tamper@example.com").email_verified_at is None


@pytest.mark.parametrize("path", ["/", "/profile/", "/profile/edit", "/users/list/",
                                  "/opdview/list/"])
def test_unverified_citizen_sees_only_the_notice(app, client, auth, path):
    """Is a signed-in but unverified citizen sent to the verify notice from any page?"""
    with app.app_context():
        make_user(email="wait@example.com", verified=False)
    assert auth.login("wait@example.com").status_code == 302
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/verify-notice")
    notice = client.get("/account/verify-notice")
    assert notice.status_code == 200
    assert b"wait@example.com" in notice.data


def test_unverified_citizen_can_still_log_out_and_switch_language(app, client, auth):
    """Do logout and the language switch still work before verification?"""
    with app.app_context():
        make_user(email="wait2@example.com", verified=False)
    auth.login("wait2@example.com")
    assert not client.get("/lang/en").headers["Location"].endswith("/account/verify-notice")
    assert user_by_email(app, "wait2@example.com").locale == "en"
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 200


def test_resend_sends_a_new_link_and_is_rate_limited(app, client, auth,
                                                     smtp_server):  # noqa: F811
    """Does "resend" mail a fresh link, and refuse politely after too many tries?"""
    register(client, "again@example.com")
    auth.login("again@example.com")
    statuses = [client.post("/account/resend").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(smtp_server.to("again@example.com")) == 4  # registration + three resends
    refused = client.post("/account/resend")
    assert "Terlalu banyak" in refused.get_data(as_text=True) or b"Too many" in refused.data


def test_existing_email_gets_the_same_answer_and_a_notice(app, client, smtp_server):  # noqa: F811
    """Does registering an existing email look exactly like a new one, and mail its owner?"""
    with app.app_context():
        make_user(email="owner@example.com")
    known = register(client, "owner@example.com", name="Penyusup")
    fresh = register(client, "newcomer@example.com", name="Penyusup")
    assert known.status_code == fresh.status_code == 302
    assert known.headers["Location"] == fresh.headers["Location"]
    known_page = client.get(known.headers["Location"])
    fresh_page = client.get(fresh.headers["Location"])
    assert without_csrf(known_page.get_data(as_text=True)) == without_csrf(
        fresh_page.get_data(as_text=True))

    notice = smtp_server.last_to("owner@example.com")
    assert "/login/" in notice.text and "/account/forgot-password" in notice.text
    assert not any("/account/verify/" in url for url in notice.links())
    with app.app_context():
        assert db.session.query(AppUser).filter_by(email="owner@example.com").count() == 1
        owner = db.session.query(AppUser).filter_by(email="owner@example.com").one()
        assert owner.full_name != "Penyusup"


def test_register_shows_field_errors_and_keeps_input(app, client):
    """Does a rejected form say what is wrong, next to the field, and keep what was typed?"""
    response = register(client, "not-an-email", password="short", confirm="other",
                        name="Rahmat Hidayat")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("field-error") >= 3
    assert 'value="Rahmat Hidayat"' in html
    assert 'value="not-an-email"' in html
    assert "short" not in html.split("<form", 1)[1]  # passwords are never echoed
    with app.app_context():
        assert db.session.query(AppUser).count() == 0


def test_registration_is_rate_limited(app, client):
    """Are registrations from one address limited (REGISTER_LIMIT)?"""
    statuses = [register(client, f"bot{i}@example.com").status_code for i in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_signed_in_users_registering_go_home(app, client, auth):
    """Does a signed-in person opening the registration page go back to the app?"""
    with app.app_context():
        make_user(email="in@example.com")
    auth.login("in@example.com", DEFAULT_PASSWORD)
    assert client.get("/account/register").status_code == 302

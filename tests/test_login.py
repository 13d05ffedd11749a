"""The login page: generic errors, rate limits, session renewal, safe redirects."""

import re
import uuid

import pytest
import redis

from app.extensions import db

from .conftest import DEFAULT_PASSWORD
from .factories import make_user
from .support.accounts import user_by_email

# The login page is Indonesian unless the visitor switches: "The email or password is not correct."
GENERIC = "Email atau kata sandi tidak sesuai."


def _failed_login_page(auth, email, password):
    response = auth.login(email, password)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_wrong_password_and_unknown_email_look_the_same(app, auth):
    """Does the login page say the same for a wrong password as for an unknown email?"""
    with app.app_context():
        make_user(email="ada@example.test")
    wrong = _failed_login_page(auth, "ada@example.test", "Wrong-password-123")
    unknown = _failed_login_page(auth, "nobody@example.test", "Wrong-password-123")
    assert wrong.count("alert-danger") == unknown.count("alert-danger") == 1
    def strip(html, email):  # the email typed, and each response's own CSP nonce
        return re.sub(r'nonce="[^"]*"', "nonce", html.replace(email, "EMAIL"))

    assert strip(wrong, "ada@example.test") == strip(unknown, "nobody@example.test")
    assert 'value="ada@example.test"' in wrong  # the email is kept for another try


def test_login_updates_stats_and_email_is_case_insensitive(app, auth):
    """Is the login counted, and can people type their email in capitals?"""
    with app.app_context():
        make_user(email="besar@example.test")
    auth.login("besar@example.test", "Wrong-password-123")
    assert user_by_email(app, "besar@example.test").fail_login_count == 1
    assert auth.login("  BESAR@Example.Test ").status_code == 302
    user = user_by_email(app, "besar@example.test")
    assert user.login_count == 1 and user.fail_login_count == 0
    assert user.last_login is not None


def test_inactive_account_cannot_log_in(app, auth):
    """Is a deactivated account refused with the same generic message?"""
    with app.app_context():
        user = make_user(email="off@example.test")
        user.active = False
        db.session.commit()
    assert GENERIC in _failed_login_page(auth, "off@example.test", DEFAULT_PASSWORD)


def test_login_attempts_per_ip_are_limited(app, client, auth):
    """Are many login attempts from one address, over many accounts, refused with 429?"""
    statuses = [auth.login(f"guess{i}@example.test", "Wrong-password-1").status_code
                for i in range(21)]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429
    client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert auth.login("guess0@example.test", "Wrong-password-1").status_code == 200


def test_next_to_another_site_is_not_followed(app, client):
    """Does a login link with next=https://evil.example/ land on our home page instead?"""
    with app.app_context():
        make_user(email="aman@example.test")
    for target in ("https://evil.example/", "//evil.example/", "https:/evil.example"):
        response = client.post(f"/login/?next={target}",
                               data={"username": "aman@example.test", "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        assert "evil.example" not in response.headers["Location"]
        client.post("/logout/")


def test_next_within_the_app_is_followed(app, client):
    """Does a login link with next=/profile/ come back to the profile?"""
    with app.app_context():
        make_user(email="balik@example.test")
    response = client.post("/login/?next=/profile/",
                           data={"username": "balik@example.test", "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith("/profile/")


def _session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_session_is_renewed_at_login_and_keeps_the_language(app, client, auth):
    """Does logging in start a new session that keeps the language chosen before?"""
    with app.app_context():
        make_user(email="baru@example.test")
    client.get("/lang/en")
    client.get("/login/")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = _session_cookie(client)
    auth.login("baru@example.test")
    assert _session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "en"
    assert user_by_email(app, "baru@example.test").locale == "en"


def test_language_of_the_account_is_restored_at_login(app, client, auth):
    """Does a user who chose English get English again when signing in elsewhere?"""
    with app.app_context():
        user = make_user(email="inggris@example.test")
        user.locale = "en"
        db.session.commit()
    auth.login("inggris@example.test")
    with client.session_transaction() as session:
        assert session["locale"] == "en"


def test_switching_language_while_logged_in_is_remembered(app, client, auth):
    """Is a language switch made while signed in stored on the account?"""
    with app.app_context():
        make_user(email="ganti@example.test")
    auth.login("ganti@example.test")
    client.get("/lang/en")
    assert user_by_email(app, "ganti@example.test").locale == "en"
    client.get("/lang/id")
    assert user_by_email(app, "ganti@example.test").locale == "id"


def test_unverified_citizen_can_log_in_and_lands_on_the_notice(app, client, auth):
    """Can an unverified citizen sign in, and are they then shown the verify notice?"""
    with app.app_context():
        make_user(email="belum@example.test", verified=False)
    response = auth.login("belum@example.test")
    assert response.status_code == 302
    home = client.get(response.headers["Location"])
    assert home.headers["Location"].endswith("/account/verify-notice")


@pytest.fixture
def redis_prefix():
    prefix = f"aspirasi-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    server = redis.Redis(host="127.0.0.1", port=6379)
    for key in server.scan_iter(f"*{prefix}*"):
        server.delete(key)


def test_login_limit_is_kept_in_redis(database_url, tmp_path, redis_prefix):
    """With RATELIMIT_STORAGE_URI on Redis, do two app instances (two workers) share the
    count of failures of one account from one address?"""
    from app import create_app

    from .conftest import _seed, _test_config, _wipe

    config = _test_config(database_url, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                          RATELIMIT_KEY_PREFIX=redis_prefix)
    worker_a, worker_b = create_app(config), create_app(config)
    with worker_a.app_context():
        _seed()
        make_user(email="shared@example.test")
    try:
        wrong = {"username": "shared@example.test", "password": "Wrong-password-1"}
        for _ in range(3):
            assert worker_a.test_client().post("/login/", data=wrong).status_code == 200
        for _ in range(2):
            assert worker_b.test_client().post("/login/", data=wrong).status_code == 200
        assert worker_a.test_client().post("/login/", data=wrong).status_code == 429
        keys = list(redis.Redis(host="127.0.0.1", port=6379).scan_iter(f"*{redis_prefix}*"))
        assert keys
    finally:
        with worker_a.app_context():
            db.session.remove()
            _wipe()
            db.engine.dispose()
        with worker_b.app_context():
            db.engine.dispose()

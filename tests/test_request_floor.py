"""What the lean per-request path (session cookie, security headers, request hooks) must
keep: the same headers to the byte, a fresh nonce per response, and a session cookie
that is refused when tampered with or expired, whatever was accepted before."""

import re
import time

from app import create_app

from .conftest import DEFAULT_PASSWORD
from .factories import make_message, make_user
from .test_security_headers import _nonce

_NONCE = re.compile(r"'nonce-[^']+'")
_POLICY = ("default-src 'self'; script-src 'self' 'nonce-N'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
           "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_SECURITY = [
    ("Permissions-Policy", "browsing-topics=()"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", _POLICY),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]
_PAGE = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]


def _headers(response):
    """The response's headers in order, the nonce blanked and the varying ones left out."""
    return [(name, _NONCE.sub("'nonce-N'", value)) for name, value in response.headers
            if name not in ("Set-Cookie", "Content-Length", "Date")]


def _sign_in(app, role):
    with app.app_context():
        user = make_user(role)
        message_id = make_message(user).id if role == "User" else None
        email = user.email
    client = app.test_client()
    answer = client.post("/login/", data={"username": email, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302
    return client, message_id


def test_security_headers_are_exactly_as_before(app):
    """Do a citizen's page, a staff page, an error page and the login page carry the
    same headers, in the same order, as before the headers were built once?"""
    citizen, message_id = _sign_in(app, "User")
    staff, _ = _sign_in(app, "Admin")
    expected = {
        f"/pesan/show/{message_id}": [*_PAGE, *_SECURITY, ("Vary", "Cookie")],
        "/no-such-page": [*_PAGE, *_SECURITY, ("Vary", "Cookie")],
    }
    for path, headers in expected.items():
        assert _headers(citizen.get(path)) == headers, path
    assert staff.get("/triase/list/").status_code == 200
    assert _headers(staff.get("/triase/list/")) == [*_PAGE, *_SECURITY, ("Vary", "Cookie")]
    login = app.test_client().get("/login/")
    assert _headers(login) == [*_PAGE, ("Pragma", "no-cache"), ("Expires", "0"), *_SECURITY,
                               ("Vary", "Cookie")]


def test_hsts_is_exactly_as_before_in_production(database_url, tmp_path):
    """Does production send the same HSTS header over HTTPS, and none over HTTP?"""
    production = create_app({"APP_ENV": "production", "SECRET_KEY": "x" * 40,
                             "SQLALCHEMY_DATABASE_URI": database_url,
                             "INSTANCE_PATH": str(tmp_path),
                             "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1"}, environ={})
    client = production.test_client()
    secure = client.get("/login/", base_url="https://localhost")
    assert secure.headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"]
    plain = "http://localhost"  # the test client's default is PREFERRED_URL_SCHEME
    proxied = client.get("/login/", base_url=plain, headers={"X-Forwarded-Proto": "https"})
    assert proxied.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/login/", base_url=plain).headers
    with production.app_context():
        from app.extensions import db

        db.engine.dispose()


def test_each_response_has_its_own_nonce(app):
    """Does every response, the same FAB page asked twice by the same person included,
    get a nonce of its own that the page's inline scripts carry?"""
    client, _ = _sign_in(app, "Admin")
    nonces = set()
    for _ in range(3):
        response = client.get("/triase/list/")
        nonce = _nonce(response)
        assert f'nonce="{nonce}"' in response.get_data(as_text=True)
        nonces.add(nonce)
    assert len(nonces) == 3


def _is_in(client):
    return client.get("/profile/").status_code == 200


def test_a_tampered_cookie_is_refused_after_the_genuine_one_was_accepted(app):
    """Once a cookie has been accepted, is any other text in its place (a changed
    payload or signature) still refused?"""
    client, _ = _sign_in(app, "User")
    assert _is_in(client) and _is_in(client)
    genuine = client.get_cookie("session").value
    payload, _, signature = genuine.rpartition(".")
    # The signature's first character: its last one has bits base64 ignores.
    other = "A" if signature[0] != "A" else "B"
    for forged in (payload + "." + other + signature[1:],
                   "." + payload.lstrip(".")[1:] + "." + signature, genuine + "x"):
        thief = app.test_client()
        thief.set_cookie("session", forged)
        assert not _is_in(thief), forged


def test_an_expired_cookie_is_refused_after_it_was_accepted(app, monkeypatch):
    """Is a cookie that was accepted refused once it is older than the session's
    lifetime (and when its time is in the future)?"""
    client, _ = _sign_in(app, "User")
    assert _is_in(client) and _is_in(client)
    cookie = client.get_cookie("session").value
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = time.time()
    for moved in (now + lifetime + 5, now - 60):
        monkeypatch.setattr(time, "time", lambda moved=moved: moved)
        thief = app.test_client()
        thief.set_cookie("session", cookie)
        assert not _is_in(thief)
    monkeypatch.undo()
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert _is_in(thief)


def test_a_changed_session_does_not_change_the_old_cookie(app):
    """When a request changes the session (a language switch), does another request
    carrying the cookie from before still read the session as it was?"""
    client, _ = _sign_in(app, "User")
    assert _is_in(client)
    before = client.get_cookie("session").value
    assert client.get("/lang/en").status_code == 302
    old = app.test_client()
    old.set_cookie("session", before)
    old_page = old.get("/profile/").get_data(as_text=True)
    new_page = client.get("/profile/").get_data(as_text=True)
    assert '<html lang="id"' in old_page and '<html lang="en"' in new_page


def test_a_view_with_its_own_talisman_options_still_gets_them(database_url, tmp_path):
    """Does a view given its own options (as `@talisman(...)` does) get its own headers
    while the other pages keep the usual ones?"""
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_PATH": str(tmp_path)}, environ={})

    def framable():
        return "ok"

    framable.talisman_view_options = {"frame_options": "SAMEORIGIN",
                                      "content_security_policy": {"default-src": "'self'"}}
    app.add_url_rule("/_framable", "framable", framable)
    client = app.test_client()
    own = client.get("/_framable")
    assert own.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert _NONCE.sub("'nonce-N'", own.headers["Content-Security-Policy"]) == \
        "default-src 'self'"
    assert _headers(client.get("/login/"))[-6:] == [*_SECURITY, ("Vary", "Cookie")]
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()


def test_async_functions_are_still_wrapped_each_time(app, monkeypatch):
    """Does the app still hand an `async def` to Flask's wrapper on every call, while a
    plain function comes back as it is?"""
    wrapped = []
    monkeypatch.setattr(app, "async_to_sync", lambda func: wrapped.append(func) or object())

    async def later():
        return "later"

    def now():
        return "now"

    for _ in range(2):
        assert app.ensure_sync(now) is now
        app.ensure_sync(later)
    assert wrapped == [later, later]

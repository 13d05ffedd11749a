"""What every response tells the browser: a nonce-based Content-Security-Policy, no
framing, no sniffing, a referrer policy, HSTS in production only, no-store on pages
and API answers; forms work without a Referer but not from another site."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from app import create_app

from .conftest import DEFAULT_PASSWORD
from .factories import make_message, make_user
from .support.accounts import csrf_token
from .support.api import ApiUser

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def _csp(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}


def _nonce(response):
    found = [v for v in _csp(response)["script-src"] if v.startswith("'nonce-")]
    assert len(found) == 1
    return found[0][len("'nonce-"):-1]


@pytest.fixture
def signed_in_citizen(app, client, auth):
    with app.app_context():
        author = make_user(email="kepala@example.test")
        message = make_message(author)
        message_id = message.id
    auth.login("kepala@example.test")
    return client, message_id


def test_pages_carry_a_nonce_csp_and_every_script_uses_it(app, signed_in_citizen):
    """Does each page forbid inline scripts but its own nonce's, and do all of its
    scripts either load from this site or carry that nonce?"""
    client, message_id = signed_in_citizen
    for path in ("/", "/profile/", "/profile/password", f"/pesan/show/{message_id}",
                 "/pesan/add", "/statistik/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = _csp(response)
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        nonce = _nonce(response)
        for attributes in _SCRIPT.findall(response.get_data(as_text=True)):
            if 'type="application/json"' in attributes:
                continue  # data, never run
            assert f'nonce="{nonce}"' in attributes or 'src="/' in attributes, (path, attributes)
            assert "src=\"http" not in attributes


def test_no_page_may_be_framed_or_sniffed(app, client):
    """Do pages (the password form included) refuse to be framed, forbid MIME
    sniffing and send a referrer policy?"""
    for path in ("/login/", "/profile/password", "/no-such-page"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in response.headers


def test_pages_with_personal_data_are_not_stored(app, signed_in_citizen):
    """Are pages and API answers with personal data sent with Cache-Control: no-store,
    while static files keep their caching?"""
    client, message_id = signed_in_citizen
    for path in ("/profile/", f"/pesan/show/{message_id}", "/pesan/list/"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    with app.app_context():
        from app.accounts.service import find_by_email

        api = ApiUser(app.test_client(), find_by_email("kepala@example.test"))
    assert api.get(f"/{message_id}").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/site.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_hsts_in_production_only(database_url, tmp_path):
    """Does production (behind HTTPS) send HSTS and Secure cookies, and development not?"""
    production = create_app({"APP_ENV": "production", "SECRET_KEY": "x" * 40,
                             "SQLALCHEMY_DATABASE_URI": database_url,
                             "INSTANCE_PATH": str(tmp_path),
                             "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1"}, environ={})
    response = production.test_client().get("/login/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]
    development = create_app({"APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": database_url,
                              "INSTANCE_PATH": str(tmp_path)}, environ={})
    response = development.test_client().get("/login/", base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers
    for app in (production, development):
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def _login_over_https(client, **headers):
    page = client.get("/login/", base_url="https://localhost")
    return client.post("/login/", base_url="https://localhost", headers=headers, data={
        "username": "tanpa@example.test", "password": DEFAULT_PASSWORD,
        "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_login_over_https_without_a_referer_works(app, client, csrf_on):
    """Can a browser that sends no Referer (privacy settings) sign in over HTTPS, the
    CSRF token being what protects the form?"""
    with app.app_context():
        make_user(email="tanpa@example.test")
    assert _login_over_https(client).status_code == 302


def test_a_form_posted_from_another_site_is_refused(app, client, csrf_on):
    """Is a form POST whose Origin is another site (or a sandboxed frame) refused even
    with a valid token, while our own Origin passes?"""
    with app.app_context():
        make_user(email="tanpa@example.test")
    for origin in ("https://evil.example", "null"):
        assert _login_over_https(client, Origin=origin).status_code == 400
    assert _login_over_https(client, Origin="https://localhost").status_code == 302


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_does_not_name_itself(tmp_path):
    """Does the app served by gunicorn with the project's settings answer without a
    `Server: gunicorn` header?"""
    port = _free_port()
    env = {"APP_ENV": "development", "INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite", "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
         "app:create_app()"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        headers = None
        for _ in range(150):  # up to 30 s for the worker to start
            try:
                with urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=5) as r:  # noqa: S310
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.2)
        assert headers is not None, "gunicorn did not start"
        assert "gunicorn" not in (headers.get("Server") or "").lower()
    finally:
        server.terminate()
        server.wait(timeout=30)

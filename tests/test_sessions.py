"""Sessions the server can end: logout, password change, idle and absolute timeouts;
logout only by a POST with the CSRF token."""

from datetime import timedelta

import pytest
from flask_appbuilder.security.sqla.models import assoc_user_role
from sqlalchemy import delete, event, func, select, update

from app.accounts import sessions
from app.extensions import db
from app.models import AppUser, LoginSession
from app.timeutil import utcnow

from .conftest import DEFAULT_PASSWORD
from .factories import make_user
from .support.accounts import NEW_PASSWORD, csrf_token


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand (no test waits)."""

    class Clock:
        now = utcnow()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    fake = Clock()
    monkeypatch.setattr(sessions, "utcnow", lambda: fake.now)
    return fake


def _signed_in(app, email):
    client = app.test_client()
    response = client.post("/login/", data={"username": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _is_in(client):
    response = client.get("/profile/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
    return False


def _copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_is_dead_after_logout(app):
    """After logout, does a copy of the session cookie taken before (in another browser)
    no longer open the account?"""
    with app.app_context():
        make_user(email="salin@example.test")
    client = _signed_in(app, "salin@example.test")
    thief = _copy_of(app, client)
    assert _is_in(thief)
    assert client.post("/logout/").status_code == 302
    assert not _is_in(client)
    assert not _is_in(thief)


def test_password_change_ends_every_session_of_the_user(app):
    """Does a password change delete all of the user's sessions on the server but the
    one that made the change?"""
    with app.app_context():
        make_user(email="tiga@example.test")
    here, *others = [_signed_in(app, "tiga@example.test") for _ in range(3)]
    copies = [_copy_of(app, other) for other in others]
    response = here.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _is_in(here)
    assert not any(_is_in(c) for c in [*others, *copies])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


@pytest.mark.parametrize("role, idle", [("Admin", 30), ("Operator", 30), ("User", 60)])
def test_idle_sessions_end(app, clock, role, idle):
    """Does a session stay while used, and end after 30 idle minutes for staff and 60
    for citizens?"""
    with app.app_context():
        make_user(role, email="diam@example.test", opd="DLH" if role == "Operator" else None)
    client = _signed_in(app, "diam@example.test")
    for _ in range(3):
        clock.advance(minutes=idle - 1)
        assert _is_in(client)
    clock.advance(minutes=idle, seconds=1)
    assert not _is_in(client)


def test_idle_timeouts_are_configurable(app, clock):
    """Does SESSION_IDLE_MINUTES_CITIZEN set how long a citizen may stay idle?"""
    app.config["SESSION_IDLE_MINUTES_CITIZEN"] = 5
    with app.app_context():
        make_user(email="lima@example.test")
    client = _signed_in(app, "lima@example.test")
    clock.advance(minutes=6)
    assert not _is_in(client)


def test_no_session_outlives_twelve_hours(app, clock):
    """Does even a session used all the time end 12 hours after signing in?"""
    with app.app_context():
        make_user(email="rajin@example.test")
    client = _signed_in(app, "rajin@example.test")
    for _ in range(23):
        clock.advance(minutes=30)
        assert _is_in(client)
    clock.advance(minutes=30, seconds=1)
    assert not _is_in(client)


def test_activity_is_written_at_most_once_a_minute(app, clock):
    """Do many requests within a minute write nothing to the sessions table, and the
    first request after a minute write once?"""
    with app.app_context():
        make_user(email="sibuk@example.test")
        engine = db.engine
    client = _signed_in(app, "sibuk@example.test")
    writes = []

    def record(conn, cursor, statement, *args):
        if "login_session" in statement and not statement.lstrip().upper().startswith("SELECT"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        for _ in range(6):
            clock.advance(seconds=9)
            assert _is_in(client)
        assert writes == []
        clock.advance(seconds=10)
        assert _is_in(client)
        assert _is_in(client)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_logout_needs_a_post_with_the_csrf_token(csrf_app):
    """Do GET and HEAD /logout/ (a cross-site link, a prefetch) and a POST without the
    token leave the session alone, while the menu's button signs out?"""
    app = csrf_app
    with app.app_context():
        make_user(email="keluar@example.test")
    client = app.test_client()
    token = csrf_token(client.get("/login/").get_data(as_text=True))
    client.post("/login/", data={"username": "keluar@example.test",
                                 "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert client.get("/logout/").status_code == 405
    assert client.head("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 400
    assert client.post("/logout/", headers={"Origin": "https://evil.example"}).status_code == 400
    page = client.get("/profile/").get_data(as_text=True)
    assert 'action="/logout/"' in page
    assert client.post("/logout/", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert not _is_in(client)


def _forget_roles(user_id):
    db.session.execute(delete(assoc_user_role).where(assoc_user_role.c.user_id == user_id))


def _deactivate(user_id):
    db.session.execute(update(AppUser).where(AppUser.id == user_id).values(active=False))


def _unverify(user_id):
    db.session.execute(update(AppUser).where(AppUser.id == user_id)
                       .values(email_verified_at=None))


@pytest.mark.parametrize("change", [_forget_roles, _deactivate, _unverify])
def test_a_change_made_elsewhere_counts_from_the_next_request(app, change):
    """The signed-in user is kept between requests while unchanged: does a change made
    by someone else (roles taken away, account disabled, email no longer verified,
    written straight to the database as another worker would) count from the very
    next request?"""
    with app.app_context():
        user_id = make_user(email="tetap@example.test").id
    client = _signed_in(app, "tetap@example.test")
    for _ in range(2):
        assert client.get("/pesan/list/").status_code == 200
    with app.app_context():
        change(user_id)
        db.session.commit()
    assert client.get("/pesan/list/").status_code != 200

"""One login throttle for the web login and the API's token login: per account and
address a lock after 5 failures, per account a slow-down (never a lock) beyond 20
failures an hour, and the same work for known and unknown emails."""

import pytest
from sqlalchemy import event

from app.accounts import throttle
from app.extensions import db

from .conftest import DEFAULT_PASSWORD
from .factories import make_user
from .support.accounts import user_by_email
from .support.api import fresh

WRONG = "Wrong-password-123"
OWNER = "pemilik@example.test"


@pytest.fixture
def owner(app):
    with app.app_context():
        make_user(email=OWNER)
    return OWNER


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand (no test waits)."""

    class Clock:
        time = 1_900_000_000.0

        def advance(self, seconds):
            self.time += seconds

    fake = Clock()
    monkeypatch.setattr(throttle, "now", lambda: fake.time)
    return fake


def web_login(app, email, password, ip):
    client = app.test_client()
    return client.post("/login/", data={"username": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def api_login(app, email, password, ip):
    return fresh(app.test_client(), "post", "/api/v1/security/login",
                 json={"username": email, "password": password, "provider": "db"},
                 environ_base={"REMOTE_ADDR": ip})


def test_a_stranger_cannot_lock_the_owner_out(app, owner, clock):
    """After 5 wrong passwords from one address, is that address refused even with the
    right password, while the owner signs in from their own address?"""
    for _ in range(5):
        assert web_login(app, owner, WRONG, "10.0.0.66").status_code == 200
    refused = web_login(app, owner, DEFAULT_PASSWORD, "10.0.0.66")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 15 * 60
    assert web_login(app, owner, DEFAULT_PASSWORD, "10.0.0.7").status_code == 302


def test_the_lock_of_an_address_ends_after_fifteen_minutes(app, owner, clock):
    """Does the address locked after 5 failures get in again 15 minutes later?"""
    for _ in range(5):
        web_login(app, owner, WRONG, "10.0.0.66")
    clock.advance(15 * 60 - 5)
    assert web_login(app, owner, DEFAULT_PASSWORD, "10.0.0.66").status_code == 429
    clock.advance(10)
    assert web_login(app, owner, DEFAULT_PASSWORD, "10.0.0.66").status_code == 302


def test_token_login_and_web_login_share_one_throttle(app, owner, clock):
    """Do failures on either login lock the other for the same account and address,
    so that the right password is refused there too?"""
    for _ in range(5):
        assert web_login(app, owner, WRONG, "10.0.0.1").status_code == 200
    refused = api_login(app, owner, DEFAULT_PASSWORD, "10.0.0.1")
    assert refused.status_code == 429 and "access_token" not in refused.get_json()
    assert int(refused.headers["Retry-After"]) > 0
    for _ in range(5):
        assert api_login(app, owner, WRONG, "10.0.0.2").status_code == 401
    assert web_login(app, owner, DEFAULT_PASSWORD, "10.0.0.2").status_code == 429


def test_sixty_token_guesses_are_cut_off_after_five(app, owner, clock):
    """Of 60 guesses at one account from one address on the token login, are only
    5 evaluated?"""
    codes = [api_login(app, owner, f"tebakan-{n}-xyz", "10.0.0.9").status_code
             for n in range(60)]
    assert codes.count(401) == 5 and codes.count(429) == 55


def test_unknown_emails_are_throttled_like_known_ones(app, owner, clock):
    """Does an unknown email get the same answers as a known one, lock included?"""
    def answers(email):
        return [web_login(app, email, WRONG, "10.0.0.3").status_code for _ in range(6)]

    assert answers(owner) == answers("tidak-ada@example.test") == [200] * 5 + [429]


def test_many_addresses_slow_the_account_down_without_locking_it(app, owner, clock):
    """Beyond 20 failures an hour from many addresses, must each further attempt wait
    a growing delay, and does the owner still get in once it has passed?"""
    addresses = (f"10.1.0.{n}" for n in range(1, 100))
    for _ in range(20):
        assert web_login(app, owner, WRONG, next(addresses)).status_code == 200
    waits = []
    for _ in range(4):
        assert web_login(app, owner, WRONG, next(addresses)).status_code == 200
        refused = web_login(app, owner, DEFAULT_PASSWORD, next(addresses))
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8]
    assert web_login(app, owner, DEFAULT_PASSWORD, next(addresses)).status_code == 302


def test_the_slow_down_is_capped(app, owner, clock):
    """Does the delay stop growing at LOGIN_DELAY_MAX_SECONDS?"""
    app.config["LOGIN_DELAY_MAX_SECONDS"] = 30
    for n in range(30):
        clock.advance(60)
        web_login(app, owner, WRONG, f"10.2.0.{n}")
    refused = web_login(app, owner, DEFAULT_PASSWORD, "10.2.1.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 30


def _work_of_a_failed_login(app, monkeypatch, email, ip):
    """The hash kinds checked and the SQL statements run by one failed login."""
    from werkzeug.security import check_password_hash

    from app.fab import manager

    hashed, statements = [], []

    def spy(stored, password):
        hashed.append(stored.split("$", 1)[0])
        return check_password_hash(stored, password)

    monkeypatch.setattr(manager, "check_password_hash", spy)
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert web_login(app, email, WRONG, ip).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return hashed, statements


def test_unknown_email_does_the_same_work_as_a_wrong_password(app, owner, monkeypatch):
    """Does a failed login for an unknown email check a hash of the same kind and run
    the same statements as one for a known email, so timing tells nothing?"""
    known = _work_of_a_failed_login(app, monkeypatch, owner, "10.0.0.4")
    unknown = _work_of_a_failed_login(app, monkeypatch, "nobody@example.test", "10.0.0.5")
    # The owner is the first account: the unknown email's write left its count alone.
    assert user_by_email(app, owner).fail_login_count == 1
    assert known[0] == unknown[0] == [app.config["FAB_PASSWORD_HASH_METHOD"]]
    assert known[1] == unknown[1]
    assert any(statement.startswith("UPDATE ab_user") for statement in known[1])

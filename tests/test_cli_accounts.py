"""The account commands and the production start-up checks."""

import pytest

from app import create_app
from app.extensions import db
from app.models import AppUser, Opd

from .factories import make_user


@pytest.fixture
def no_admin_env(monkeypatch):
    for name in ("ADMIN_EMAIL", "ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _counts(app):
    with app.app_context():
        return db.session.query(AppUser).count(), db.session.query(Opd).count()


def test_init_twice_changes_nothing_and_shows_the_password_once(app, runner, no_admin_env):
    """Does `aspirasi init` create the Super Admin with a printed password only the first
    time, and change nothing when run again?"""
    first = runner.invoke(args=["aspirasi", "init"])
    assert first.exit_code == 0, first.output
    assert "password:" in first.output
    password = first.output.split("password:", 1)[1].split()[0]
    counts = _counts(app)
    with app.app_context():
        admin = db.session.query(AppUser).one()
        assert admin.role_names == {"Super Admin"} and admin.email_verified_at is not None
        stored_hash = admin.password

    second = runner.invoke(args=["aspirasi", "init"])
    assert second.exit_code == 0, second.output
    assert "password:" not in second.output
    assert password not in second.output
    assert _counts(app) == counts
    with app.app_context():
        assert db.session.query(AppUser).one().password == stored_hash

    response = app.test_client().post("/login/", data={"username": admin.email,
                                                       "password": password})
    assert response.status_code == 302


def test_create_user_makes_an_operator_of_an_opd(app, runner):
    """Does `create-user` create a verified Operator attached to the named OPD?"""
    result = runner.invoke(args=[
        "aspirasi", "create-user", "--role", "Operator", "--email", "Op@Example.test",
        "--password", "Pesut-Mahakam-2026", "--name", "Operator DLH", "--opd", "dlh",
    ])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(AppUser).filter_by(email="op@example.test").one()
        assert user.opd.short_name == "DLH" and user.email_verified_at is not None


@pytest.mark.parametrize("args, message", [
    (["--role", "Operator", "--opd", "NOPE"], "NOPE"),
    (["--role", "Operator"], "OPD"),
    (["--role", "Admin", "--opd", "DLH"], "OPD"),
    (["--role", "Admin", "--password", "short"], "10"),
    (["--role", "Admin", "--email", "taken@example.test"], "taken@example.test"),
])
def test_create_user_errors_are_one_clear_line(app, runner, args, message):
    """Is every refused `create-user` a one-line `Error:` with a non-zero exit code?"""
    with app.app_context():
        make_user("Admin", email="taken@example.test")
    values = {"--email": "staf@example.test", "--password": "Pesut-Mahakam-2026",
              "--name": "Staf Baru"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        values[flag] = value
    argv = ["aspirasi", "create-user"] + [part for pair in values.items() for part in pair]
    if "--role" not in values:
        argv += ["--role", "Admin"]
    result = runner.invoke(args=argv)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert "Traceback" not in result.output
    if message == "taken@example.test":
        assert "already" in lines[0] or "sudah" in lines[0]
    else:
        assert message in lines[0]
    with app.app_context():
        assert db.session.query(AppUser).filter_by(email="staf@example.test").count() == 0


def test_production_without_secret_key_stops_with_a_clear_message(monkeypatch, tmp_path):
    """Does production refuse to start without SECRET_KEY, saying what to do?"""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/1")
    with pytest.raises(SystemExit) as stopped:
        create_app("production")
    assert "SECRET_KEY" in str(stopped.value)


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    """Are production session cookies sent over HTTPS only?"""
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/1")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["WTF_CSRF_ENABLED"] is True

"""Shared fixtures: one app per test on a clean database, for each backend.

Every test that uses `app` (or anything built on it) runs once on SQLite and once
on PostgreSQL; the schema is built by the real Alembic migrations once per backend.
"""

from contextlib import contextmanager

import pytest
from flask_appbuilder import Model

from app import create_app
from app.extensions import db

from .support.browser import browser, live_server, page  # noqa: F401  (one Chromium per run)
from .support.databases import backends, open_database

DEFAULT_PASSWORD = "Kaltim-rahasia-2026"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql_only` leave out their runs on other databases."""
    others = [item for item in items if item.get_closest_marker("postgresql_only")
              and getattr(item, "callspec", None)
              and item.callspec.params.get("database_url") != "postgresql"]
    if others:
        config.hook.pytest_deselected(items=others)
        items[:] = [item for item in items if item not in others]


def migrated_database(kind, tmp_path_factory):
    """(url, cleanup) of an empty database of `kind`, migrated to the latest schema."""
    url, cleanup = open_database(kind, tmp_path_factory)
    app = create_app(_test_config(url, tmp_path_factory.mktemp("uploads")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url, cleanup


@pytest.fixture(scope="session", params=backends())
def database_url(request, tmp_path_factory):
    """An empty database of one kind, migrated to the latest schema."""
    url, cleanup = migrated_database(request.param, tmp_path_factory)
    yield url
    cleanup()


def _test_config(url, upload_dir, **extra):
    return {
        "APP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_FOLDER": str(upload_dir),
        "WTF_CSRF_ENABLED": False,
        **extra,
    }


@pytest.fixture
def app_config():
    """Per-test config overrides; a test module may override this fixture."""
    return {}


# Building an app registers ~150 routes (about 0.4 s), so each configuration is built
# once per backend and reused; its config and rate-limit counters are reset per test.
_APPS = {}


def _cached_app(database_url, app_config):
    key = (database_url, repr(sorted(app_config.items())))
    if key not in _APPS:
        app = create_app(_test_config(database_url, "/nonexistent", **app_config))
        with app.app_context():
            engine = db.engine
        _APPS[key] = (app, dict(app.config), engine)
    # Only the app in use keeps pooled connections: dozens of cached apps with five
    # idle connections each would exhaust PostgreSQL's max_connections.
    for other_key, (_app, _snapshot, engine) in _APPS.items():
        if other_key != key:
            engine.dispose()
    app, snapshot, _engine = _APPS[key]
    app.config.clear()
    app.config.update(snapshot)
    return app


@contextmanager
def app_on_clean_database(database_url, upload_dir, app_config):
    """The app of this configuration on a seeded database, wiped again afterwards."""
    app = _cached_app(database_url, app_config)
    app.config["UPLOAD_FOLDER"] = str(upload_dir)
    # A wiped database starts its revisions again: pages kept for the last test's rows
    # would match this test's (a live database is never wiped under a running app).
    app.extensions.pop("aspirasi_kept_pages", None)
    with app.app_context():
        if app.config.get("RATELIMIT_ENABLED"):
            app.appbuilder.sm.limiter.reset()
        _seed()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.rollback()
            db.session.remove()
            _wipe()


@pytest.fixture
def app(database_url, tmp_path, app_config):
    with app_on_clean_database(database_url, tmp_path / "uploads", app_config) as app:
        yield app


def _seed():
    from flask import current_app

    from app.services.reference import load_reference_data

    current_app.appbuilder.sm.sync_roles()
    load_reference_data()


def _wipe():
    # DELETE, not TRUNCATE: on a few rows it is far quicker on PostgreSQL.
    tables = list(reversed(Model.metadata.sorted_tables))
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    with app.app_context():
        yield db.session


class Auth:
    """Signs a test client in and out through the real login page."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=DEFAULT_PASSWORD):
        return self.client.post(
            "/login/", data={"username": email, "password": password}, follow_redirects=False
        )

    def logout(self):
        return self.client.post("/logout/")


@pytest.fixture
def auth(client):
    return Auth(client)

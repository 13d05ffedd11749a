"""The test databases: SQLite always, PostgreSQL when reachable (and always in CI)."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_available():
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def backends():
    """Which databases this run covers. In CI PostgreSQL is never optional."""
    wanted = os.environ.get("TEST_DATABASES", "sqlite,postgresql").split(",")
    return [name.strip() for name in wanted if name.strip()]


class PostgresDatabase:
    """A throwaway database created for this run and dropped afterwards."""

    def __init__(self):
        self.name = f"aspirasi_test_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = make_url(PG_ADMIN_URL).set(database=self.name).render_as_string(
            hide_password=False
        )

    def drop(self):
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def open_database(name, tmp_path_factory):
    """Return (url, cleanup) for a fresh empty database of the given kind."""
    if name == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "test.db"
        return f"sqlite:///{path}", lambda: None
    if name == "postgresql":
        if not postgres_available():
            message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}"
            if in_ci():
                pytest.fail(message + " (CI must run the PostgreSQL tests)", pytrace=False)
            pytest.skip(message)
        database = PostgresDatabase()
        return database.url, database.drop
    raise pytest.UsageError(f"unknown test database {name!r}")

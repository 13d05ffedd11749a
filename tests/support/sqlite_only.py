"""Fixtures for the page tests (accessibility, keyboard, weight): they are about
pages, not SQL, so they run on SQLite only, with CSRF on as in production.

Import both names into a test module to use them there:
`from .support.sqlite_only import app_config, database_url  # noqa: F401`
"""

import pytest

from ..conftest import migrated_database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, cleanup = migrated_database("sqlite", tmp_path_factory)
    yield url
    cleanup()


@pytest.fixture
def app_config():
    # The real forms (CSRF on); many sign-ins in a row.
    return {"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": True}

"""The application starts, its migrated schema matches its models, and it answers."""

import pytest

from app import create_app
from app.extensions import db
from app.models import AppUser, Category, Opd, SubCategory

from .factories import make_user


def test_home_page_is_indonesian_by_default(client):
    """Does a first-time visitor get the Indonesian home page?"""
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="id"' in response.get_data(as_text=True) or b"Masuk" in response.data


def test_migrations_match_the_models_exactly(runner):
    """Does `flask db check` find no difference between the migrated schema and the
    models (tables, columns, types, indexes, constraints)?"""
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.exception


def test_reference_data_has_the_twelve_opds_and_two_categories(app):
    """Are the source document's OPDs and both categories loaded?"""
    with app.app_context():
        assert db.session.query(Opd).count() == 12
        codes = {c.code for c in db.session.query(Category)}
        assert codes == {"aspirasi", "pengaduan"}
        assert db.session.query(SubCategory).count() >= 8


def test_unknown_page_answers_404_page_not_traceback(client):
    """Does a mistyped address give a friendly 404 page?"""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Traceback" not in response.data


def test_staff_user_can_log_in(app, auth):
    """Can an Admin created by the factory sign in through the login page?"""
    with app.app_context():
        make_user("Admin", email="admin1@example.test")
    response = auth.login("admin1@example.test")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(AppUser).filter_by(email="admin1@example.test").one()
        assert user.login_count == 1


@pytest.mark.parametrize("declared", [None, "2 per minute"])
def test_a_limit_declared_to_flask_limiter_is_enforced(tmp_path, declared):
    """The factory drops Flask-Limiter's request hooks when no limit is declared to it
    (the app's own limits live in accounts.throttle): is a declared one (a default limit
    in the configuration) still enforced, and do pages answer without one?"""
    overrides = {"APP_ENV": "testing", "INSTANCE_PATH": str(tmp_path),
                 "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}"}
    if declared:
        overrides["RATELIMIT_DEFAULT"] = declared
    client = create_app(overrides).test_client()
    codes = [client.get("/login/").status_code for _ in range(3)]
    assert codes == ([200, 200, 429] if declared else [200, 200, 200])

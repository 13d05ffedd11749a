"""Helpers for the REST API tests: a token per user, and calls that carry it."""

import pytest

from ..conftest import DEFAULT_PASSWORD
from ..factories import make_user

API = "/api/v1/messages"


def fresh(client, method, path, **kwargs):
    """One request in its own app context, as in production.

    The tests hold an app context open; requests would share its `g`, where
    Flask-JWT-Extended keeps the last token's user, so a later request without a
    token would still look signed in. A fresh context per request prevents that.
    """
    with client.application.app_context():
        return getattr(client, method)(path, **kwargs)


def login_token(client, email, password=DEFAULT_PASSWORD):
    """A JWT access token from FAB's token login, the only way into the API."""
    response = fresh(client, "post", "/api/v1/security/login", json={
        "username": email, "password": password, "provider": "db", "refresh": False,
    })
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


@pytest.fixture
def people(db_session, client):
    """Two citizens, an Admin, a Super Admin, operators of DISKOMINFO and DLH."""
    return {
        "citizen_a": make_user("User", email="a@example.test", name="Ani Warga",
                               phone="0811000111"),
        "citizen_b": make_user("User", email="b@example.test"),
        "admin": make_user("Admin", email="admin@example.test"),
        "boss": make_user("Super Admin", email="boss@example.test"),
        "op_kominfo": make_user("Operator", email="kominfo@example.test", opd="DISKOMINFO"),
        "op_dlh": make_user("Operator", email="dlh@example.test", opd="DLH"),
    }


class ApiUser:
    """A test client signed in to the API as one user (by token, not cookie)."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        self.headers = {"Authorization": f"Bearer {login_token(client, user.email)}"}

    def get(self, path, **kwargs):
        return self.raw("get", API + path, **kwargs)

    def post(self, path, **kwargs):
        return self.raw("post", API + path, **kwargs)

    def raw(self, method, path, headers=None, **kwargs):
        """Any URL (not only under /messages), with this user's token."""
        return fresh(self.client, method, path, headers={**self.headers, **(headers or {})},
                     **kwargs)

    def move(self, message_id, move, **body):
        return self.post(f"/{message_id}/{move}", json=body)


def as_user(client, people, who):
    """An ApiUser for one of `people`."""
    return ApiUser(client, people[who])


def forward_body(opd, category="pengaduan"):
    """The JSON of a valid forward to `opd` (an Opd row)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Category

    cat = db.session.scalar(select(Category).where(Category.code == category))
    return {"category_id": cat.id, "subcategory_id": cat.subcategories[0].id, "opd_id": opd.id}

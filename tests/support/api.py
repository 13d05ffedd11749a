"""Helpers for the REST API tests: a token per user, and calls that carry it."""

from ..conftest import DEFAULT_PASSWORD

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


class ApiUser:
    """A test client signed in to the API as one user (by token, not cookie)."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        self.headers = {"Authorization": f"Bearer {login_token(client, user.email)}"}

    def get(self, path, **kwargs):
        return fresh(self.client, "get", API + path, headers=self.headers, **kwargs)

    def post(self, path, **kwargs):
        return fresh(self.client, "post", API + path, headers=self.headers, **kwargs)

    def raw(self, method, path, **kwargs):
        """Any URL (not only under /messages), with this user's token."""
        return fresh(self.client, method, path, headers=self.headers, **kwargs)

    def move(self, message_id, move, **body):
        return self.post(f"/{message_id}/{move}", json=body)


def forward_body(opd, category="pengaduan"):
    """The JSON of a valid forward to `opd` (an Opd row)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Category

    cat = db.session.scalar(select(Category).where(Category.code == category))
    return {"category_id": cat.id, "subcategory_id": cat.subcategories[0].id, "opd_id": opd.id}

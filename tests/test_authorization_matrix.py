"""Every registered endpoint answers each kind of person as the matrix says, for
their own objects and for other people's (tests/support/matrix.py)."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AppUser, Category, SubCategory

from .support.api import login_token
from .support.matrix import (
    FORBIDDEN,
    LOGIN,
    MATRIX,
    MISSING,
    OK,
    REDIRECT,
    REFUSED,
    ROLES,
    SKIPPED,
    UNAUTHORIZED,
)
from .support.web import WEB_CONFIG, make_cast, opd_id, signed_in

ABSENT_ID = 987654


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED]


def test_every_endpoint_has_a_decided_entry(app):
    """Does every registered endpoint have an entry whose answers are decided?"""
    endpoints = {rule.endpoint for rule in _rules(app)}
    missing = sorted(endpoints - MATRIX.keys())
    undecided = sorted(name for name in endpoints & MATRIX.keys() if not MATRIX[name].decided)
    assert not missing, f"endpoints without an entry in tests/support/matrix.py: {missing}"
    assert not undecided, (
        "endpoints whose expected answers are still undecided: "
        + "; ".join(f"{name} ({MATRIX[name].note})" for name in undecided)
    )


def _outcome(response):
    code = response.status_code
    if 300 <= code < 400:
        path = urlsplit(response.headers.get("Location", "")).path
        return LOGIN if path.startswith("/login") else REDIRECT
    if 200 <= code < 300:
        return OK
    return {400: REFUSED, 409: REFUSED, 401: UNAUTHORIZED, 403: FORBIDDEN,
            404: MISSING}.get(code, f"status {code}")


class Objects:
    """The ids each role's URLs use for "own" and "other"."""

    def __init__(self, app, cast):
        self.cast = cast
        with app.app_context():
            pengaduan = db.session.scalar(select(Category).where(Category.code == "pengaduan"))
            self.fixed = {
                "opd": opd_id("DLH"),
                "category": pengaduan.id,
                "subcategory": db.session.scalar(select(SubCategory.id).limit(1)),
                "user": db.session.scalar(
                    select(AppUser.id).where(AppUser.email == cast.citizen_a)),
                "role": app.appbuilder.sm.find_role("User").id,
                "absent": ABSENT_ID,
            }

    def pk(self, kind, role, own):
        if kind in self.fixed:
            return self.fixed[kind]
        a_side = role in ("citizen_a", "operator_x", "admin", "super_admin", "anonymous")
        first = a_side == own
        if kind == "message":
            return self.cast.message_a if first else self.cast.message_b
        if kind == "attachment":
            return self.cast.attachment_a if first else self.cast.attachment_b
        if kind == "message_attachment":  # the API's /<message>/attachments/<id>
            return self.pk("message", role, own), self.pk("attachment", role, own)
        raise AssertionError(f"unknown object kind {kind!r}")


def _url(rule, expect, pk):
    attachment_id = ABSENT_ID
    if isinstance(pk, tuple):
        pk, attachment_id = pk
    values = {"pk": pk, "attachment_id": attachment_id, "filename": "nothing.txt",
              "name": "nothing", **expect.args}
    needed = {arg: values[arg] for arg in rule.arguments}
    return rule.build(needed, append_unknown=False)[1]


def test_authorization_matrix(app):
    """Does each person get exactly the matrix's answer on every endpoint, own and other?"""
    with app.app_context():
        cast = make_cast()
    objects = Objects(app, cast)
    emails = {
        "citizen_a": cast.citizen_a, "citizen_b": cast.citizen_b, "admin": cast.admin,
        "super_admin": cast.super_admin, "operator_x": cast.operator_x,
        "operator_y": cast.operator_y,
    }
    clients = {role: signed_in(app, email) for role, email in emails.items()}
    clients["anonymous"] = app.test_client()
    # The API takes tokens, never the session cookie.
    tokens = {role: {"Authorization": f"Bearer {login_token(app.test_client(), email)}"}
              for role, email in emails.items()}
    tokens["anonymous"] = {}
    wrong = []
    checked = 0
    # Sessions end last, so that the sign-out does not cut the other checks short.
    rules = sorted(_rules(app), key=lambda r: (MATRIX.get(r.endpoint) is None
                                               or MATRIX[r.endpoint].ends_session,
                                               r.endpoint, r.rule))
    for rule in rules:
        expect = MATRIX.get(rule.endpoint)
        if expect is None or not expect.decided:
            continue  # reported by test_every_endpoint_has_a_decided_entry
        method = expect.method if expect.method in rule.methods else sorted(
            rule.methods - {"HEAD", "OPTIONS"})[0]
        sides = (True, False) if expect.obj else (True,)
        for role in ROLES:
            for own in sides:
                pk = objects.pk(expect.obj, role, own) if expect.obj else ABSENT_ID
                url = _url(rule, expect, pk)
                if rule.endpoint.startswith("MessageApi."):
                    response = clients[role].open(url, method=method, headers=tokens[role],
                                                  json=expect.body)
                else:
                    response = clients[role].open(url, method=method)
                got = _outcome(response)
                want = expect.expected(role)[0 if own else 1]
                checked += 1
                if got != want:
                    side = "own" if own else "other"
                    wrong.append(f"{rule.endpoint} {method} {url} as {role} ({side}): "
                                 f"expected {want}, got {got}")
                if expect.ends_session and role != "anonymous":
                    clients[role] = signed_in(app, emails[role])
    assert checked > 0
    assert not wrong, "\n".join(["authorization matrix mismatches:", *wrong])

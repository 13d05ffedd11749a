"""The policy module: roles declared once, scopes as sets of OPD ids, and every path
(lists, details, moves, reports) following the scope it gives."""

import pytest
from sqlalchemy import select

from app import policy, workflow
from app.extensions import db
from app.models import AppUser, Message
from app.services.reports import Period, build_report

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, opd_id, signed_in


@pytest.fixture
def app_config():
    return WEB_CONFIG


def test_generated_grants_are_anchored_at_both_ends():
    """Is every generated FAB pattern `^...$`, so that no grant leaks to a look-alike name?"""
    for role, grants in policy.fab_roles().items():
        if role == policy.SUPER_ADMIN:
            assert grants == [[".*", ".*"]]
            continue
        for view, permission in grants:
            assert view.startswith("^") and view.endswith("$"), (role, view)
            assert permission.startswith("^(") and permission.endswith(")$"), (role, permission)


def test_every_account_role_is_declared_with_capabilities():
    """Does each of the four roles have a declaration, and Public none of the message powers?"""
    declared = {role.name: role for role in policy.ROLES}
    assert set(policy.ACCOUNT_ROLES) <= set(declared)
    assert declared[policy.PUBLIC].can == frozenset()


def _three_opds(app):
    with app.app_context():
        make_user("Operator", email="op@example.test", opd="DLH")
        ids = {}
        for short, title in (("DLH", "Sampah DLH"), ("DKP", "Ikan DKP"),
                             ("DISKOMINFO", "Sinyal Kominfo")):
            message = make_message(title=title)
            forward_to(message, short)
            ids[short] = message.id
        return ids


def test_an_operator_of_two_opds_sees_and_works_on_both(app, monkeypatch):
    """If an operator covered two OPDs, would lists, details, moves and reports all follow,
    with nothing of a third OPD?"""
    ids = _three_opds(app)
    with app.app_context():
        covered = frozenset({opd_id("DLH"), opd_id("DKP")})
    monkeypatch.setattr(policy, "opds_of", lambda user: covered)

    operator = signed_in(app, "op@example.test")
    listed = operator.get("/opd/list/?status=all").get_data(as_text=True)
    assert "Sampah DLH" in listed and "Ikan DKP" in listed
    assert "Sinyal Kominfo" not in listed
    assert operator.get(f"/opd/show/{ids['DKP']}").status_code == 200
    assert operator.get(f"/opd/show/{ids['DISKOMINFO']}").status_code == 404

    with app.app_context():
        person = db.session.scalar(select(AppUser).where(AppUser.email == "op@example.test"))
        dkp = db.session.get(Message, ids["DKP"])
        assert workflow.Move.START in workflow.allowed_moves(person, dkp)
        kominfo = db.session.get(Message, ids["DISKOMINFO"])
        assert workflow.allowed_moves(person, kominfo) == set()
        scope = policy.report_scope(person)
        assert scope == covered
        assert build_report(Period(), scope).total == 2


def test_an_operator_without_an_opd_sees_nothing(app):
    """Does an operator whose OPD was removed get an empty scope, not everyone's messages?"""
    _three_opds(app)
    with app.app_context():
        user = make_user("Operator", opd="DLH")
        user.opd_id = None
        db.session.commit()
        assert policy.opd_scope(user) == frozenset()
        assert db.session.scalars(policy.visible_messages(user)).all() == []
        assert build_report(Period(), policy.report_scope(user)).total == 0


def test_only_those_who_see_confidential_authors_may_sort_or_filter_by_them(app):
    """May an Operator (who must not learn a confidential author) filter or sort messages
    by the author, while an Admin may, and nobody is limited on other columns?"""
    with app.app_context():
        operator = make_user("Operator", opd="DLH")
        admin = make_user("Admin")
        for column in ("author", "author_id", "author.email", "author.full_name"):
            assert not policy.may_query_column(operator, Message, column)
            assert policy.may_query_column(admin, Message, column)
        assert policy.may_query_column(operator, Message, "title")
        assert policy.may_query_column(operator, AppUser, "email")

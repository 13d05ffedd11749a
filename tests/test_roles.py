"""The permission matrix of the four roles, stated as a table a reviewer can read."""

import pytest
from flask import current_app

from app.extensions import db
from app.models import Opd

from .factories import make_user

# (view or menu, permission): which roles hold it. Everyone else must not.
MATRIX = {
    ("OpdView", "can_list"): {"Super Admin", "Admin"},
    ("OpdView", "can_add"): {"Super Admin", "Admin"},
    ("OpdView", "can_edit"): {"Super Admin", "Admin"},
    ("OpdView", "can_delete"): {"Super Admin"},
    ("CategoryView", "can_list"): {"Super Admin", "Admin"},
    ("CategoryView", "can_add"): {"Super Admin"},
    ("SubCategoryView", "can_add"): {"Super Admin", "Admin"},
    ("SubCategoryView", "can_delete"): {"Super Admin"},
    ("TriageView", "can_list"): {"Super Admin", "Admin"},
    ("TriageView", "can_forward"): {"Super Admin", "Admin"},
    ("TriageView", "can_reject"): {"Super Admin", "Admin"},
    ("OperatorView", "can_list"): {"Super Admin", "Operator"},
    ("OperatorView", "can_resolve"): {"Super Admin", "Operator"},
    ("CitizenView", "can_add"): {"Super Admin", "User"},
    ("CitizenView", "can_rate"): {"Super Admin", "User"},
    ("CitizenView", "can_answer"): {"Super Admin", "User"},
    ("CitizenView", "can_add_info"): {"Super Admin", "User"},
    ("CitizenView", "can_reopen"): {"Super Admin", "User"},
    ("CitizenView", "can_appeal"): {"Super Admin", "User"},
    ("CitizenView", "can_withdraw"): {"Super Admin", "User"},
    ("TriageView", "can_ask"): {"Super Admin", "Admin"},
    ("OperatorView", "can_ask"): {"Super Admin", "Operator"},
    ("MessageApi", "can_ask"): {"Super Admin", "Admin", "Operator"},
    ("TrackView", "can_show"): {"Super Admin", "Admin", "Operator", "User", "Public"},
    ("ReportView", "can_show"): {"Super Admin", "Admin", "Operator"},
    ("ReportView", "can_export"): {"Super Admin", "Admin", "Operator"},
    ("ProfileView", "can_show"): {"Super Admin", "Admin", "Operator", "User"},
    ("ProfileView", "can_password"): {"Super Admin", "Admin", "Operator", "User"},
    ("AttachmentView", "can_download"): {"Super Admin", "Admin", "Operator", "User"},
    ("PublicStatsView", "can_show"): {"Super Admin", "Admin", "Operator", "User", "Public"},
    ("MessageApi", "can_get"): {"Super Admin", "Admin", "Operator", "User"},
    ("MessageApi", "can_triage"): {"Super Admin", "Admin"},
    ("MessageApi", "can_process"): {"Super Admin", "Operator"},
    ("MessageApi", "can_post"): {"Super Admin", "User"},
    ("MessageApi", "can_instruct"): {"Super Admin"},
    # FAB's own security views: the Super Admin's alone.
    ("UserDBModelView", "can_list"): {"Super Admin"},
    ("UserDBModelView", "can_edit"): {"Super Admin"},
    ("UserDBModelView", "can_userinfo"): {"Super Admin"},
    ("RoleModelView", "can_list"): {"Super Admin"},
    ("ResetPasswordView", "can_this_form_post"): {"Super Admin"},
    ("ResetMyPasswordView", "can_this_form_post"): {"Super Admin"},
    ("UserInfoEditView", "can_this_form_post"): {"Super Admin"},
    # Look-alike names must not match a shorter grant (patterns are anchored).
    ("OpdViewAdmin", "can_list"): {"Super Admin"},
    ("TriageView", "can_forward_all"): {"Super Admin"},
}

ROLES = ["Super Admin", "Admin", "Operator", "User", "Public"]


@pytest.mark.parametrize(("view", "permission"), sorted(MATRIX))
def test_matrix_grants_exactly_the_listed_roles(app, view, permission):
    """Does each role hold this permission exactly when the matrix says so?"""
    with app.app_context():
        sm = current_app.appbuilder.sm
        holders = {
            name for name in ROLES
            if sm._has_access_builtin_roles(sm.find_role(name), permission, view)
        }
    assert holders == MATRIX[(view, permission)]


def test_every_role_of_the_matrix_exists_in_the_database(app):
    """Do `init`'s roles match the four roles of the product plus Public?"""
    with app.app_context():
        names = {role.name for role in current_app.appbuilder.sm.get_all_roles()}
    assert names == set(ROLES)


def test_admin_manages_opds_in_the_generated_views(app, client, auth):
    """Can an Admin add and edit an OPD but not delete one?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
    auth.login("admin@example.test")
    response = client.post("/opdview/add", data={
        "name": "Dinas Pendidikan dan Kebudayaan", "short_name": "DISDIKBUD",
        "contact_email": "disdikbud@kaltimprov.example.com", "active": "y",
    })
    assert response.status_code == 302
    with app.app_context():
        opd = db.session.query(Opd).filter_by(short_name="DISDIKBUD").one()
        opd_id = opd.id
    assert client.post(f"/opdview/delete/{opd_id}").status_code == 403
    response = client.post(f"/opdview/edit/{opd_id}", data={
        "name": "Dinas Pendidikan dan Kebudayaan", "short_name": "DISDIKBUD",
        "contact_email": "not-an-email", "active": "y",
    })
    assert response.status_code == 400  # the form again, with the field error
    with app.app_context():
        assert db.session.get(Opd, opd_id).contact_email == "disdikbud@kaltimprov.example.com"


def test_citizen_cannot_open_reference_data(app, client, auth):
    """Is a citizen refused the OPD admin list?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    auth.login("warga@example.test")
    assert client.get("/opdview/list/").status_code == 403


def test_admin_can_deactivate_an_opd(app, client, auth):
    """Can an Admin untick "Active" on an OPD (FAB would make the checkbox mandatory)?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        opd_id = db.session.query(Opd).filter_by(short_name="DINSOS").one().id
    auth.login("admin@example.test")
    response = client.post(f"/opdview/edit/{opd_id}", data={
        "name": "Dinas Sosial", "short_name": "DINSOS", "contact_email": "",
    })
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Opd, opd_id).active is False

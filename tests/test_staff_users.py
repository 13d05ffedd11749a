"""The Super Admin's staff user views, and FAB's self-service views nobody else reaches."""

import pytest

from app.extensions import db
from app.models import AppUser

from .factories import make_user
from .support.accounts import user_by_email

STRONG = "Pesut-Mahakam-2026"


def _role_id(app, name):
    with app.app_context():
        return app.appbuilder.sm.find_role(name).id


def _opd_id(app, short_name):
    from app.accounts.service import find_opd

    with app.app_context():
        return find_opd(short_name).id


@pytest.fixture
def super_admin(app, auth):
    with app.app_context():
        make_user("Super Admin", email="root@example.test")
    auth.login("root@example.test")
    auth.client.get("/lang/en")  # the assertions below read the English messages
    return user_by_email(app, "root@example.test")


def _add_user(client, app, role, opd=None, email="staf@example.test", password=STRONG):
    return client.post("/users/add", data={
        "full_name": "Staf Baru", "email": email, "phone": "",
        "roles": [str(_role_id(app, role))], "opd": str(_opd_id(app, opd)) if opd else "",
        "active": "y", "password": password, "conf_password": password,
    })


def test_super_admin_adds_an_operator_with_an_opd(app, client, super_admin):
    """Can the Super Admin add an Operator of an OPD, verified from the start?"""
    response = _add_user(client, app, "Operator", opd="DLH")
    assert response.status_code == 302
    user = user_by_email(app, "staf@example.test")
    assert user.role_names == {"Operator"} and user.email_verified_at is not None


@pytest.mark.parametrize("password", ["password1234", "Staf-Baru-2026!"])
def test_staff_password_common_or_with_the_name_is_refused(app, client, super_admin, password):
    """Is a staff account refused when its password is common or contains the name?"""
    response = _add_user(client, app, "Admin", password=password)
    assert response.status_code == 400  # a refused form, shown again as typed
    assert b"too easy to guess" in response.data or b"your name" in response.data
    assert user_by_email(app, "staf@example.test") is None


def test_operator_without_opd_is_refused(app, client, super_admin):
    """Is an Operator without an OPD refused with a field error?"""
    response = _add_user(client, app, "Operator")
    assert response.status_code == 400
    assert b"An Operator must belong to an OPD." in response.data
    assert user_by_email(app, "staf@example.test") is None


def test_non_operator_with_opd_is_refused(app, client, super_admin):
    """Is an Admin given an OPD refused with a field error?"""
    response = _add_user(client, app, "Admin", opd="DLH")
    assert response.status_code == 400
    assert b"Only an Operator can belong to an OPD." in response.data
    assert user_by_email(app, "staf@example.test") is None


def test_nobody_changes_their_own_role_or_opd(app, client, super_admin):
    """Is the Super Admin's edit of their own role refused with a form error?"""
    response = client.post(f"/users/edit/{super_admin.id}", data={
        "full_name": "Root", "email": "root@example.test", "phone": "",
        "roles": [str(_role_id(app, "Admin"))], "opd": "", "active": "y",
    })
    assert response.status_code == 400
    assert b"You cannot change your own role." in response.data
    assert user_by_email(app, "root@example.test").role_names == {"Super Admin"}

    response = client.post(f"/users/edit/{super_admin.id}", data={
        "full_name": "Root", "email": "root@example.test", "phone": "",
        "roles": [str(_role_id(app, "Super Admin"))], "opd": str(_opd_id(app, "DLH")),
        "active": "y",
    })
    assert response.status_code == 400
    assert (b"You cannot change your own OPD." in response.data
            or b"Only an Operator can belong to an OPD." in response.data)
    assert user_by_email(app, "root@example.test").opd_id is None


def test_super_admin_password_reset_ends_that_users_sessions(app, client, super_admin):
    """When the Super Admin sets a staff member's password, do that person's sessions end?"""
    with app.app_context():
        staff_id = make_user("Admin", email="korban@example.test").id
    other = app.test_client()
    from .conftest import Auth

    Auth(other).login("korban@example.test")
    assert other.get("/profile/").status_code == 200
    client.post(f"/resetpassword/form?pk={staff_id}",
                data={"password": STRONG, "conf_password": STRONG})
    assert other.get("/profile/").status_code == 302


FAB_SELF_SERVICE = [
    "/userinfoeditview/form",
    "/resetmypassword/form",
    "/resetpassword/form?pk=1",
    "/users/userinfo/",
    "/register/form",
    "/registeruser/list/",
]


@pytest.mark.parametrize("role", ["User", "Admin", "Operator"])
def test_fab_self_service_views_are_unreachable(app, client, auth, role):
    """Are FAB's own user-info, reset-password and registration views closed to
    everyone but the Super Admin?"""
    with app.app_context():
        make_user(role, email="biasa@example.test", opd="DLH" if role == "Operator" else None)
    auth.login("biasa@example.test")
    for path in FAB_SELF_SERVICE:
        response = client.get(path)
        assert response.status_code in (302, 403, 404), path
        if response.status_code == 302:
            assert "/login/" in response.headers["Location"], path
        posted = client.post(path, data={"password": STRONG, "conf_password": STRONG,
                                         "first_name": "X", "last_name": "Y"})
        assert posted.status_code in (302, 403, 404, 405), path
    with app.app_context():
        user = db.session.query(AppUser).filter_by(email="biasa@example.test").one()
        assert user.first_name != "X"


def test_profile_edits_only_name_and_phone(app, client, auth):
    """Can a citizen change their name and phone, and nothing else, on their profile?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    auth.login("warga@example.test")
    response = client.post("/profile/edit", data={
        "full_name": "Nama Baru", "phone": "0811 2222 333", "email": "lain@example.test",
        "roles": str(_role_id(app, "Super Admin")), "opd": str(_opd_id(app, "DLH")),
    })
    assert response.status_code == 302
    user = user_by_email(app, "warga@example.test")
    assert user.full_name == "Nama Baru" and user.phone == "0811 2222 333"
    assert user.role_names == {"User"} and user.opd_id is None
    assert client.get("/profile/").get_data(as_text=True).count("Nama Baru") >= 1


def test_profile_edit_shows_field_errors_and_keeps_input(app, client, auth):
    """Does a bad phone number come back as a field error with the input kept?"""
    with app.app_context():
        make_user("User", email="salah-telp@example.test")
    auth.login("salah-telp@example.test")
    response = client.post("/profile/edit", data={"full_name": "Ani", "phone": "abc"})
    assert response.status_code == 400  # a refused form
    assert b"field-error" in response.data and b'value="abc"' in response.data


def test_profile_needs_a_login(client):
    """Does an anonymous visitor of /profile/ get sent to the login page?"""
    response = client.get("/profile/")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]

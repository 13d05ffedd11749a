"""The forms of the reference data and of staff accounts: names unique ignoring case,
checked with a clear message; no database error text on any page; the user form
offers only what may be chosen."""

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Category, Opd, SubCategory

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in

RAW_DATABASE_TEXT = re.compile(r"IntegrityError|UNIQUE|constraint|sqlite3|psycopg|duplicate key",
                               re.IGNORECASE)


@pytest.fixture
def app_config():
    return WEB_CONFIG


@pytest.fixture
def admin(app):
    with app.app_context():
        make_user("Admin", email="admin@example.test")
    return signed_in(app, "admin@example.test")


def _pengaduan_id(app):
    with app.app_context():
        return db.session.scalar(select(Category.id).where(Category.code == "pengaduan"))


def _count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query)


@pytest.mark.parametrize("name", ["Ketenagakerjaan", "ketenagakerjaan", " KETENAGAKERJAAN "])
def test_a_duplicate_subcategory_is_refused_once_in_the_persons_language(app, admin, name):
    """Is a subcategory whose name its category already has (in any case) refused on
    the form itself, with one message in Indonesian and no database text?"""
    category = _pengaduan_id(app)
    before = _count(app, SubCategory)
    response = admin.post("/subcategoryview/add", data={
        "category": str(category), "name": name, "active": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    # On the field, and in the error summary that links to it.
    assert page.count("Kategori ini sudah memiliki subkategori dengan nama ini.") == 2
    assert not RAW_DATABASE_TEXT.search(page)
    assert f'value="{name.strip()}"' in page  # what was typed is still there
    assert _count(app, SubCategory) == before


def test_the_same_subcategory_name_is_allowed_in_another_category(app, admin):
    """May "Ketenagakerjaan" (a pengaduan subcategory) also be an aspirasi one?"""
    with app.app_context():
        aspirasi = db.session.scalar(select(Category.id).where(Category.code == "aspirasi"))
    response = admin.post("/subcategoryview/add", data={
        "category": str(aspirasi), "name": "Ketenagakerjaan", "active": "y"})
    assert response.status_code == 302


def test_an_opd_differing_only_in_case_is_refused(app, admin):
    """Are "dinas sosial" / "dinsos" refused next to "Dinas Sosial" / "DINSOS", each
    field with its own message?"""
    response = admin.post("/opdview/add", data={"name": "dinas sosial", "short_name": "dinsos",
                                                "active": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("OPD dengan nama ini sudah ada.") == 2  # field + summary
    assert page.count("OPD dengan nama singkat ini sudah ada.") == 2  # field + summary
    assert _count(app, Opd) == 12


def test_an_opd_keeps_its_own_name_when_edited(app, admin):
    """Can an OPD be saved again under its own name (only other rows count)?"""
    with app.app_context():
        dinsos = db.session.scalar(select(Opd.id).where(Opd.short_name == "DINSOS"))
    response = admin.post(f"/opdview/edit/{dinsos}", data={
        "name": "Dinas Sosial", "short_name": "dinsos", "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Opd, dinsos).short_name == "dinsos"


def test_the_database_refuses_names_differing_only_in_case(app):
    """Does the database itself refuse a second "DINAS SOSIAL" (an index on lower())?"""
    with app.app_context():
        db.session.add(Opd(name="DINAS SOSIAL", short_name="LAIN", active=True))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_conflict_found_only_by_the_database_is_told_in_a_sentence(app, admin, monkeypatch):
    """When two people save the same name at once (the form's check passes, the
    database refuses), is the person told in Indonesian, with no database text?"""
    monkeypatch.setattr("app.fab.model_views.taken_ignoring_case", lambda *a, **k: False)
    response = admin.post("/opdview/add", data={"name": "Dinas Sosial", "short_name": "BARU",
                                                "active": "y"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Data ini tidak dapat disimpan" in page
    assert not RAW_DATABASE_TEXT.search(page)


def test_deleting_an_opd_still_used_is_refused_in_a_sentence(app):
    """Is a Super Admin's delete of an OPD that messages point at refused with advice
    to deactivate it, not a database error?"""
    with app.app_context():
        make_user("Super Admin", email="super@example.test")
        forward_to(make_message(), "DLH")
        dlh = db.session.scalar(select(Opd.id).where(Opd.short_name == "DLH"))
    client = signed_in(app, "super@example.test")
    response = client.post(f"/opdview/delete/{dlh}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Nonaktifkan" in page
    assert not RAW_DATABASE_TEXT.search(page)
    assert _count(app, Opd, id=dlh) == 1


def test_the_user_form_offers_only_what_may_be_chosen(app):
    """Does the Super Admin's user form offer active OPDs in name order with a readable
    "no OPD" choice, the four account roles (not Public), and no OID help text?"""
    with app.app_context():
        make_user("Super Admin", email="super@example.test")
        db.session.add(Opd(name="Dinas Lama Ditutup", short_name="LAMA", active=False))
        db.session.commit()
        active = [name for (name,) in db.session.execute(
            select(Opd.name).where(Opd.active.is_(True)).order_by(Opd.name))]
    page = signed_in(app, "super@example.test").get("/users/add").get_data(as_text=True)
    opd_select = re.search(r'<select[^>]*name="opd".*?</select>', page, re.S).group(0)
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", opd_select)
    assert labels == ["Tanpa OPD", *active]
    roles_select = re.search(r'<select[^>]*name="roles".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", roles_select) == [
        "Super Admin", "Admin", "Operator", "User"]
    assert "__None" not in opd_select.split(">", 1)[1].replace('value="__None"', "")
    assert "OID" not in page and "LDAP" not in page


def test_an_email_in_another_case_is_refused_for_a_new_account(app):
    """Is a new staff account with an existing email in capitals refused on the form?"""
    with app.app_context():
        make_user("Super Admin", email="super@example.test")
        make_user("Admin", email="ada@example.test")
        admin_role = app.appbuilder.sm.find_role("Admin").id
    response = signed_in(app, "super@example.test").post("/users/add", data={
        "full_name": "Ada Lagi", "email": "ADA@Example.test", "roles": [str(admin_role)],
        "opd": "__None", "active": "y", "password": "Staf-kuat-2026",
        "conf_password": "Staf-kuat-2026"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("Akun dengan email ini sudah terdaftar.") == 2  # field + summary
    assert not RAW_DATABASE_TEXT.search(page)

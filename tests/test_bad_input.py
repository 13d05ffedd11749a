"""Bad input is refused before it reaches the database: a clear message in the
person's language and a 4xx, never a 500, and nothing already saved is lost."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AppUser, Message, Opd

from .factories import make_user
from .support.web import WEB_CONFIG, signed_in

NUL_REFUSED = "karakter NUL"


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("who", "path", "data"), [
    (None, "/login/", {"username": "a\x00b@example.test", "password": "x"}),
    (None, "/account/register", {"full_name": "Siti\x00", "email": "s@example.test",
                                 "password": "Kaltim-rahasia-2026",
                                 "confirm": "Kaltim-rahasia-2026"}),
    ("User", "/pesan/add", {"title": "Jalan\x00rusak", "body": "Lubang besar."}),
    ("User", "/profile/edit", {"full_name": "Nama\x00Baru", "phone": ""}),
    ("Admin", "/opdview/add", {"name": "Dinas\x00Baru", "short_name": "BARU"}),
])
def test_a_nul_character_in_any_form_is_refused_with_a_message(app, who, path, data):
    """Is a NUL character (which PostgreSQL cannot store) in any form refused with a
    400 and an Indonesian message, leaving what is saved as it was?"""
    with app.app_context():
        if who:
            make_user(who, email="orang@example.test", name="Nama Lama")
        counts = {model: _count(model) for model in (AppUser, Message, Opd)}
    client = signed_in(app, "orang@example.test") if who else app.test_client()
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert NUL_REFUSED in response.get_data(as_text=True)
    with app.app_context():
        assert {model: _count(model) for model in counts} == counts
        if who:
            user = db.session.scalar(select(AppUser).where(AppUser.email == "orang@example.test"))
            assert user.full_name == "Nama Lama"


@pytest.mark.parametrize("query", [
    "preset=custom&first=0001-01-01&last=0001-01-02",
    "preset=custom&first=2026-01-01&last=9999-12-31",
    "preset=custom&first=9999-01-01&last=9999-12-31",
])
@pytest.mark.parametrize("page", ["/reports/", "/reports/export/csv"])
def test_report_periods_beyond_the_calendar_are_refused_with_a_message(app, page, query):
    """Is a report period reaching past the days a report can cover (year 1, year 9999)
    refused with a 400 that says which days may be chosen?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
    response = signed_in(app, "admin@example.test").get(f"{page}?{query}")
    assert response.status_code == 400
    assert "Pilih tanggal dari 1 Januari 1970 sampai 30 Desember 9998." in \
        response.get_data(as_text=True)

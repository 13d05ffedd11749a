"""Indonesian first: pages, forms, dialogs and dates speak Indonesian unless the
user switches to English, and the switch sticks."""

import json
import re
from datetime import datetime
from pathlib import Path

import flask_appbuilder
from flask import render_template, render_template_string
from flask_babel import force_locale, get_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.filters import format_local_datetime

from .factories import make_message, make_user
from .support.i18n import english_leftovers, visible_text
from .support.web import make_cast, signed_in

FAB_INIT = Path(flask_appbuilder.__file__).parent / "templates/appbuilder/init.html"


def _page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _sign_in_super_admin(app, auth):
    with app.app_context():
        make_user("Super Admin", email="super@example.test")
    assert auth.login("super@example.test").status_code == 302


def test_first_visit_gets_the_indonesian_login_page(client):
    """Does a first-time visitor read the login page in Indonesian, declared as such?"""
    html = _page(client, "/login/")
    text = visible_text(html)
    assert '<html lang="id">' in html
    assert {"Masuk", "Email", "Kata Sandi", "Lupa kata sandi?", "Buat akun"} <= set(text)
    assert english_leftovers(html) == []


def test_lang_en_switches_to_english_and_lang_id_back(client):
    """Does /lang/en turn the pages English for the rest of the visit, and /lang/id back?"""
    client.get("/login/")
    assert client.get("/lang/en").status_code == 302
    html = _page(client, "/login/")
    assert '<html lang="en">' in html
    assert {"Sign in", "Email", "Password", "Forgot your password?"} <= set(visible_text(html))
    assert "English" in _page(client, "/")  # still English on the next page

    client.get("/lang/id")
    html = _page(client, "/login/")
    assert '<html lang="id">' in html and "Masuk" in visible_text(html)


def test_unknown_language_is_refused(client):
    """Is a language the app does not offer answered with 404, not a broken page?"""
    assert client.get("/lang/xx").status_code == 404
    assert '<html lang="id">' in _page(client, "/login/")


def test_query_parameter_chooses_the_language_of_one_request(app, client):
    """Does `?_l_=en` answer that request in English without changing the visit's choice?"""
    html = _page(client, "/login/?_l_=en")
    assert "Sign in" in visible_text(html)
    assert "Masuk" in visible_text(_page(client, "/login/"))
    with app.test_request_context("/api/v1/security/login?_l_=en"):
        assert str(get_locale()) == "en"
    with app.test_request_context("/api/v1/security/login"):
        assert str(get_locale()) == "id"


def test_language_switch_is_on_the_page_and_marks_the_current_language(client):
    """Can the user see which language is on, and reach the other one from any page?"""
    html = _page(client, "/")
    assert re.search(r'<a href="/lang/en"[^>]*title="English"', html)
    assert re.search(r'<strong lang="id"[^>]*aria-current="true">ID</strong>', html)
    assert "Bahasa" in visible_text(html)


def test_super_admin_sees_the_opd_list_in_indonesian(app, client, auth):
    """Are FAB's list page, its menus, search, buttons and values Indonesian by default?"""
    _sign_in_super_admin(app, auth)
    html = _page(client, "/opdview/list/")
    text = set(visible_text(html))
    assert {"Cari", "Tambah Filter", "Jumlah Data", "Nama", "Singkatan", "Aktif",
            "Ya", "Lihat", "Ubah", "Hapus", "Keluar", "Keamanan", "Daftar Pengguna",
            "Data referensi", "Batal"} <= text
    assert english_leftovers(html) == []


def test_super_admin_sees_the_opd_list_in_english_after_switching(app, client, auth):
    """After /lang/en, does the same list page read in English?"""
    _sign_in_super_admin(app, auth)
    client.get("/lang/en")
    text = set(visible_text(_page(client, "/opdview/list/")))
    assert {"Search", "Add Filter", "Record Count", "Name", "Short name", "Yes",
            "Logout", "Security", "Cancel"} <= text


def test_form_errors_and_flash_messages_are_indonesian(app, client, auth):
    """Are WTForms' field errors and FAB's flash messages shown in Indonesian?"""
    _sign_in_super_admin(app, auth)
    rejected = client.post("/opdview/add", data={"name": "", "short_name": ""})
    assert "Isian ini wajib diisi." in visible_text(rejected.get_data(as_text=True))

    added = client.post(
        "/opdview/add", data={"name": "Dinas Pariwisata", "short_name": "DISPAR", "active": "y"},
        follow_redirects=True,
    )
    assert "Data berhasil ditambahkan" in visible_text(added.get_data(as_text=True))


def test_form_errors_are_english_after_switching(app, client, auth):
    """After /lang/en, are the same field errors shown in English?"""
    _sign_in_super_admin(app, auth)
    client.get("/lang/en")
    rejected = client.post("/opdview/add", data={"name": "", "short_name": ""})
    assert "This field is required." in visible_text(rejected.get_data(as_text=True))


def test_texts_shown_by_fab_scripts_are_indonesian(app, client, auth):
    """Do the alert of FAB's actions, select2 and the date picker get Indonesian texts?"""
    _sign_in_super_admin(app, auth)
    html = _page(client, "/opdview/list/")
    block = re.search(r'<script type="application/json" id="page-texts">(.*?)</script>', html)
    texts = json.loads(block.group(1))
    assert texts["alerts"]["No row selected"] == "Belum ada data yang dipilih"
    assert texts["select2"]["noResults"] == "Tidak ada hasil"
    assert texts["datepicker"]["months"][:3] == ["Januari", "Februari", "Maret"]
    assert re.search(r'src="/static/js/page-texts\.([0-9a-f]+\.)?js"', html)


def test_page_shell_keeps_every_block_and_asset_of_fab(app, client, auth):
    """Does our page shell of the staff pages keep every block and asset of FAB's own
    (served under content-hashed names)?"""
    fab = FAB_INIT.read_text()
    ours = (Path(__file__).parent.parent / "app/templates/appbuilder/init.html").read_text()
    block = re.compile(r"{%-?\s*block\s+(\w+)")
    assert set(block.findall(fab)) <= set(block.findall(ours))
    _sign_in_super_admin(app, auth)
    html = re.sub(r"\.[0-9a-f]{12}(\.\w+)", r"\1", _page(client, "/opdview/list/"))
    for asset in re.findall(r"filename='([^']+)'", fab):
        if "themes/" not in asset:
            assert f"/static/appbuilder/{asset}" in html, asset


def test_localdt_writes_dates_the_indonesian_way(app):
    """Is 10:05 UTC shown as `29 November 2026 18.05 WITA` in id and with a colon in en?"""
    moment = datetime(2026, 11, 29, 10, 5)
    with app.test_request_context("/"):
        assert format_local_datetime(moment) == "29 November 2026 18.05 WITA"
    with app.test_request_context("/?_l_=en"):
        assert format_local_datetime(moment) == "29 November 2026 18:05 WITA"
    with app.test_request_context("/"):
        shown = render_template_string("{{ moment|localdt }}", moment=moment)
    assert shown == "29 November 2026 18.05 WITA"


def test_timezone_setting_changes_the_zone_shown(app):
    """Does `TIMEZONE` move the shown time and its zone name?"""
    moment = datetime(2026, 11, 29, 10, 5)
    app.config["TIMEZONE"] = "Asia/Jakarta"
    with app.test_request_context("/"):
        assert format_local_datetime(moment) == "29 November 2026 17.05 WIB"
    app.config["TIMEZONE"] = "Asia/Jayapura"
    with app.test_request_context("/"):
        assert format_local_datetime(moment) == "29 November 2026 19.05 WIT"


def test_email_layout_declares_its_language(app):
    """Do emails carry their own language in <html lang> and in the footer?"""
    with app.test_request_context("/"):
        with force_locale("en"):
            english = render_template("email/_layout.html")
        indonesian = render_template("email/_layout.html")
    assert '<html lang="en">' in english and "Please do not reply" in english
    assert '<html lang="id">' in indonesian and "Mohon tidak membalas" in indonesian


def test_fab_security_screens_have_indonesian_column_labels(app, client, auth):
    """Do FAB's role and group screens label every column in Indonesian?"""
    _sign_in_super_admin(app, auth)
    roles = set(visible_text(_page(client, "/roles/list/")))
    assert {"Daftar Peran", "Izin", "Pengguna", "Grup", "Salin Peran", "Tindakan"} <= roles
    assert not roles & {"Users", "Groups", "Permissions", "Copy Role", "Actions"}
    groups = set(visible_text(_page(client, "/groups/list/")))
    assert {"Keterangan", "Peran", "Data tidak ditemukan"} <= groups
    assert client.get("/userstatschartview/chart/").status_code == 404


def test_message_screens_are_indonesian(app):
    """Do the citizen's, the Admins' and the operator's message screens read in Indonesian,
    with no English word or raw `None` left?"""
    with app.app_context():
        cast = make_cast()
        make_message(title="Lampu jalan padam")  # not classified yet: empty category and OPD
    a = cast.message_a
    screens = {
        cast.citizen_a: {
            "/pesan/add": {"Tambah Pesan", "Judul", "Rahasiakan identitas saya", "Kirim"},
            f"/pesan/show/{a}": {"Pesan Saya", "Lampiran", "Perkembangan", "Pesan dikirim"},
        },
        cast.admin: {
            "/triase/list/?status=all": {"Kotak Masuk", "Judul", "Dikirim", "—"},
            f"/triase/show/{a}": {"Pengirim", "Riwayat", "Teruskan ke OPD lain", "Teruskan"},
        },
        cast.operator_x: {
            "/opd/list/": {"Pesan OPD", "Perubahan terakhir"},
            f"/opd/show/{a}": {"Mulai proses", "Kembalikan ke Admin", "Riwayat"},
        },
        cast.super_admin: {"/users/list/": {"Daftar Pengguna", "Ya", "—"}},
    }
    for email, pages in screens.items():
        client = signed_in(app, email)
        for url, expected in pages.items():
            html = _page(client, url)
            assert expected <= set(visible_text(html)), url
            assert english_leftovers(html) == [], url


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
       number=st.integers(min_value=-10**12, max_value=10**15),
       locale=st.sampled_from(["id", "en"]))
def test_dates_and_numbers_read_as_babel_writes_them(app, moment, number, locale):
    """The filters write dates and whole numbers without Babel's pattern parser (lists
    show hundreds): is every date and number exactly Babel's text, in both languages?"""
    from babel.dates import format_datetime
    from babel.numbers import format_decimal

    from app.filters import format_number
    from app.timeutil import to_local

    with app.app_context():
        local = to_local(moment)
        clock = "HH.mm" if locale == "id" else "HH:mm"
        expected = format_datetime(local, f"d MMMM yyyy {clock}", locale=locale)
        assert format_local_datetime(moment, locale=locale).startswith(expected + " ")
        assert format_number(number, locale=locale) == format_decimal(number, locale=locale)

"""The citizen's screens: sending a message with files, Pesan Saya, the public
timeline and the rating, through the real pages."""

import pytest
from PIL import Image
from sqlalchemy import func, select

from app import workflow
from app.extensions import db
from app.models import Message, Rating
from app.services.uploads import storage

from .factories import forward_to, make_message, make_user
from .support.files import huge_png
from .support.web import WEB_CONFIG, pdf_bytes, png_with_gps, signed_in, upload


@pytest.fixture
def app_config():
    return WEB_CONFIG


@pytest.fixture
def citizen(app):
    with app.app_context():
        make_user("User", email="warga@example.test", name="Ani Warga")
    return signed_in(app, "warga@example.test")


def _form(**files):
    return {
        "title": "Lampu jalan padam",
        "body": "Sudah seminggu lampu di Jl. Pahlawan padam.",
        "location": "Samarinda Ulu",
        **files,
    }


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Message.id)))


def test_citizen_sends_a_photo_and_gets_the_tracking_code(app, citizen):
    """Does a sent message show its tracking code, and is the stored photo free of EXIF?"""
    page = citizen.get("/pesan/add")
    assert page.status_code == 200 and b'multiple' in page.data
    response = citizen.post(
        "/pesan/add",
        data={**_form(), "confidential": "y", "files": [upload(png_with_gps(), "foto.png")]},
        content_type="multipart/form-data", follow_redirects=True,
    )
    assert response.status_code == 200
    with app.app_context():
        message = db.session.scalar(select(Message))
        assert message.code in response.get_data(as_text=True)
        assert message.confidential is True
        stored = storage().path(message.attachments[0].stored_name)
        data = stored.read_bytes()
        assert b"eXIf" not in data and b"Exif" not in data
        with Image.open(stored) as image:
            assert not image.getexif().get_ifd(0x8825)


def test_a_fake_pdf_is_refused_and_the_form_is_kept(app, citizen):
    """Is a text file named .pdf refused with a clear message, keeping what was typed?"""
    response = citizen.post(
        "/pesan/add", data={**_form(), "files": [upload(b"just text", "laporan.pdf")]},
        content_type="multipart/form-data",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "laporan.pdf" in text
    assert 'value="Lampu jalan padam"' in text and "Sudah seminggu lampu" in text
    assert _count(app) == 0


def test_six_files_are_refused(app, citizen):
    """Is a submission with six attachments refused and nothing saved?"""
    files = [upload(pdf_bytes(), f"surat{n}.pdf") for n in range(6)]
    response = citizen.post("/pesan/add", data={**_form(), "files": files},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    assert b"5" in response.data and b"has-error" in response.data
    assert _count(app) == 0


def test_an_oversized_file_is_refused(app, citizen):
    """Is a file above the configured size limit refused with its name in the message?"""
    app.config["MAX_ATTACHMENT_SIZE"] = 1024
    big = pdf_bytes() + b"0" * 2048
    response = citizen.post("/pesan/add", data={**_form(), "files": [upload(big, "besar.pdf")]},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    assert b"besar.pdf" in response.data
    assert _count(app) == 0


def test_five_decompression_bombs_are_refused_without_decoding(app, citizen, monkeypatch):
    """Are five 120-megapixel PNGs in one submission refused from their headers, with
    the reason on the page, and nothing decoded or saved?"""
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda image: decoded.append(image.size))
    files = [upload(huge_png(), f"bom{n}.png") for n in range(5)]
    response = citizen.post("/pesan/add", data={**_form(), "files": files},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    assert "bom0.png" in response.get_data(as_text=True)
    assert "40 megapiksel" in response.get_data(as_text=True)
    assert decoded == [] and _count(app) == 0


def test_missing_title_is_refused_with_a_field_error(app, citizen):
    """Does an empty title come back as a field error instead of a crash?"""
    response = citizen.post("/pesan/add", data={**_form(), "title": ""},
                            content_type="multipart/form-data")
    assert response.status_code == 400 and b"has-error" in response.data
    assert _count(app) == 0


def test_my_messages_lists_only_mine_newest_first(app, citizen):
    """Does Pesan Saya show my messages, newest first, and nobody else's?"""
    with app.app_context():
        from app.models import AppUser

        me = db.session.scalar(select(AppUser).where(AppUser.email == "warga@example.test"))
        make_message(me, title="Pesan pertama saya")
        make_message(me, title="Pesan kedua saya")
        make_message(title="Pesan orang lain")
    text = citizen.get("/pesan/list/").get_data(as_text=True)
    assert "Pesan kedua saya" in text and "Pesan pertama saya" in text
    assert text.index("Pesan kedua saya") < text.index("Pesan pertama saya")
    assert "Pesan orang lain" not in text


def _resolved_message(app, email="warga@example.test"):
    with app.app_context():
        from app.models import AppUser

        me = db.session.scalar(select(AppUser).where(AppUser.email == email))
        message = make_message(me)
        forward_to(message, "DISKOMINFO")
        operator = make_user("Operator", opd="DISKOMINFO")
        workflow.start(operator, message)
        workflow.progress(operator, message, note="Petugas sudah meninjau lokasi.")
        workflow.progress(operator, message, note="Catatan rahasia untuk staf.", public=False)
        return message.id, operator


def test_citizen_sees_the_public_timeline_but_not_internal_notes(app, citizen):
    """Does the detail page show public updates with local times, and hide staff notes?"""
    message_id, _operator = _resolved_message(app)
    text = citizen.get(f"/pesan/show/{message_id}").get_data(as_text=True)
    assert "Petugas sudah meninjau lokasi." in text
    assert "Catatan rahasia untuk staf." not in text
    assert "WITA" in text


def test_rating_before_resolution_is_refused(app, citizen):
    """Is a rating of a message that is not yet resolved refused?"""
    message_id, _operator = _resolved_message(app)
    response = citizen.post(f"/pesan/rate/{message_id}", data={"stars": "5"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(func.count(Rating.id))) == 0


def test_citizen_rates_a_resolved_message_once(app, citizen):
    """Can the citizen rate a resolved message once, see the rating, and not rate again?"""
    message_id, operator = _resolved_message(app)
    with app.app_context():
        workflow.resolve(db.session.merge(operator), db.session.get(Message, message_id),
                         resolution="Lampu sudah diganti.")
    page = citizen.get(f"/pesan/show/{message_id}").get_data(as_text=True)
    assert "Lampu sudah diganti." in page and 'name="stars"' in page
    first = citizen.post(f"/pesan/rate/{message_id}",
                         data={"stars": "4", "comment": "Cepat, terima kasih"},
                         follow_redirects=True)
    text = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Cepat, terima kasih" in text and 'name="stars"' not in text
    second = citizen.post(f"/pesan/rate/{message_id}", data={"stars": "1"})
    assert second.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Rating.stars)) == 4


def test_rejected_message_shows_the_reason(app, citizen):
    """Does the citizen read why their message was rejected?"""
    with app.app_context():
        from app.models import AppUser

        me = db.session.scalar(select(AppUser).where(AppUser.email == "warga@example.test"))
        message = make_message(me)
        workflow.reject(make_user("Admin"), message, reason="Pesan ganda dengan AE-1.")
        message_id = message.id
    text = citizen.get(f"/pesan/show/{message_id}").get_data(as_text=True)
    assert "Pesan ganda dengan AE-1." in text and "rejection" in text


def test_only_citizens_see_the_citizen_menu(app, client):
    """Do "Tambah Pesan"/"Pesan Saya" appear for a citizen but not for a Super Admin?"""
    from .support.web import signed_in

    with app.app_context():
        make_user("User", email="menu.warga@example.test")
        make_user("Super Admin", email="menu.boss@example.test")
    citizen_home = signed_in(app, "menu.warga@example.test").get("/").get_data(as_text=True)
    boss_home = signed_in(app, "menu.boss@example.test").get("/").get_data(as_text=True)
    assert "/pesan/add" in citizen_home and "/pesan/list/" in citizen_home
    assert "/pesan/add" not in boss_home and "/pesan/list/" not in boss_home

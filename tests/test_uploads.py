"""Attachments: accepted by content, stripped of metadata, stored privately."""

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import update

from app import workflow
from app.extensions import db
from app.models import Attachment, Message
from app.services import notifications, uploads
from app.services.uploads import UploadError, detect_kind, prepare, prepare_all, storage

from .factories import forward_to, make_message, make_user
from .support.files import (
    GPS_IFD,
    MAKE,
    VALID,
    huge_jpeg,
    huge_png,
    image_bytes,
    office_bytes,
    pdf_bytes,
    upload,
)


@pytest.mark.parametrize("filename", sorted(VALID))
def test_each_allowed_type_is_accepted_by_its_content(db_session, filename):
    """Is a real PDF, JPEG, PNG, DOCX and XLSX accepted with its proper content type?"""
    prepared = prepare(upload(VALID[filename](), filename))
    assert prepared.original_name == filename
    assert prepared.content_type == uploads.ALLOWED[filename.rsplit(".", 1)[1]][0]
    assert detect_kind(prepared.data) == uploads.ALLOWED[prepared.extension][1]


@pytest.mark.parametrize("filename, data", [
    ("surat.pdf", image_bytes("png")),
    ("foto.jpg", pdf_bytes()),
    ("peta.png", image_bytes("jpeg")),
    ("laporan.docx", office_bytes("xlsx")),
    ("tabel.xlsx", office_bytes("docx")),
    ("laporan.docx", b"PK\x03\x04 not really a zip"),
    ("program.exe", b"MZ\x90\x00"),
    ("catatan.txt", b"hanya teks"),
])
def test_wrong_content_or_type_is_refused(db_session, filename, data):
    """Is a file refused when its bytes are not what its name says, or its type is not allowed?"""
    with pytest.raises(UploadError) as refused:
        prepare(upload(data, filename))
    assert filename in str(refused.value)


@pytest.mark.parametrize("kind, filename", [("jpeg", "foto.jpg"), ("png", "peta.png")])
def test_photo_comes_back_without_any_exif(db_session, kind, filename):
    """Does a photo carrying GPS in its EXIF come back with no EXIF at all?"""
    original = image_bytes(kind, gps=True)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get(MAKE) == "KameraUji"
        assert GPS_IFD in before.getexif()
    prepared = prepare(upload(original, filename))
    with Image.open(io.BytesIO(prepared.data)) as after:
        assert len(after.getexif()) == 0
        assert "exif" not in after.info
        assert after.size == (16, 12)
    assert b"KameraUji" not in prepared.data


@pytest.mark.parametrize("filename, make", [("bom.png", huge_png), ("bom.jpg", huge_jpeg)])
def test_decompression_bomb_is_refused_from_its_header(db_session, monkeypatch, filename, make):
    """Is a photo claiming 11000 x 10900 pixels (120 Mpx in a few KB) refused, saying
    why, before a single pixel of it is decoded?"""
    bomb, decoded = make(), []
    monkeypatch.setattr(Image.Image, "load", lambda image: decoded.append(image.size))
    with pytest.raises(UploadError) as refused:
        prepare(upload(bomb, filename))
    assert filename in str(refused.value) and "40 megapiksel" in str(refused.value)
    assert decoded == []


def test_photo_at_the_pixel_limit_is_still_accepted(app):
    """Is a photo of exactly MAX_IMAGE_PIXELS accepted, and one pixel row more refused?"""
    app.config["MAX_IMAGE_PIXELS"] = 16 * 12
    with app.app_context():
        assert prepare(upload(image_bytes("png"), "pas.png")).size > 0
        app.config["MAX_IMAGE_PIXELS"] = 16 * 11
        with pytest.raises(UploadError):
            prepare(upload(image_bytes("png"), "lebih.png"))


def test_size_limit_comes_from_config(app):
    """Is a file over MAX_ATTACHMENT_SIZE refused, and one at the limit accepted?"""
    data = pdf_bytes()
    with app.app_context():
        app.config["MAX_ATTACHMENT_SIZE"] = len(data)
        assert prepare(upload(data, "pas.pdf")).size == len(data)
        app.config["MAX_ATTACHMENT_SIZE"] = len(data) - 1
        with pytest.raises(UploadError, match="besar.pdf"):
            prepare(upload(data, "besar.pdf"))


def test_empty_file_is_refused(db_session):
    """Is an empty file refused with its name in the message?"""
    with pytest.raises(UploadError, match="kosong.pdf"):
        prepare(upload(b"", "kosong.pdf"))


def test_more_than_max_attachments_is_refused(app):
    """Are more files than MAX_ATTACHMENTS refused, and exactly that many accepted?"""
    with app.app_context():
        limit = app.config["MAX_ATTACHMENTS"]
        files = [upload(pdf_bytes(), f"s{n}.pdf") for n in range(limit)]
        assert len(prepare_all(files)) == limit
        files = [upload(pdf_bytes(), f"s{n}.pdf") for n in range(limit + 1)]
        with pytest.raises(UploadError):
            prepare_all(files)


def test_file_name_cannot_climb_out_of_its_folder(db_session):
    """Is a name like ../../etc/x.pdf reduced to its last part?"""
    prepared = prepare(upload(pdf_bytes(), "../../etc/x.pdf"))
    assert prepared.original_name == "x.pdf"


def test_stored_outside_static_under_a_random_name_with_its_sha256(app):
    """Is a submitted file stored under UPLOAD_FOLDER (not static/), randomly named, hashed?"""
    with app.app_context():
        data = pdf_bytes()
        message = make_message(uploads=prepare_all([upload(data, "surat.pdf")]))
        attachment = db.session.get(Message, message.id).attachments[0]
        path = storage().path(attachment.stored_name)
        assert path.read_bytes() == data
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert attachment.original_name == "surat.pdf"
        assert "surat" not in attachment.stored_name
        assert len(attachment.stored_name.split(".")[0]) == 32
        root = Path(app.config["UPLOAD_FOLDER"]).resolve()
        assert path.resolve().is_relative_to(root)
        assert not path.resolve().is_relative_to(Path(app.static_folder).resolve())


def _in_progress():
    message = make_message()
    operator = make_user("Operator", opd="DISKOMINFO")
    forward_to(message, "DISKOMINFO")
    workflow.start(operator, message)
    return message, operator


def _files_on_disk(app):
    return sorted(p.name for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())


def test_move_failing_after_writing_files_removes_them(app, monkeypatch):
    """When a resolve fails after storing its files, are they gone from disk and database?"""
    with app.app_context():
        message, operator = _in_progress()
        before = _files_on_disk(app)

        def mail_is_broken(*args, **kwargs):
            raise RuntimeError("template missing")

        monkeypatch.setattr(notifications, "status_changed", mail_is_broken)
        files = prepare_all([upload(pdf_bytes(), "bukti.pdf"), upload(image_bytes(), "f.jpg")])
        with pytest.raises(RuntimeError):
            workflow.resolve(operator, message, resolution="Selesai", uploads=files)
        assert _files_on_disk(app) == before
        assert db.session.query(Attachment).count() == 0
        assert db.session.get(Message, message.id).status == "diproses"


def test_lost_race_removes_the_files_it_wrote(app):
    """When someone else changed the message meanwhile, is the upload undone with the move?"""
    with app.app_context():
        message, operator = _in_progress()
        before = _files_on_disk(app)
        assert message.status == "diproses"  # loaded now; the row changes behind our back
        with db.engine.begin() as conn:
            conn.execute(update(Message).where(Message.id == message.id)
                         .values(version=Message.version + 1))
        files = prepare_all([upload(pdf_bytes(), "bukti.pdf")])
        with pytest.raises(workflow.WorkflowError):
            workflow.progress(operator, message, note="Foto lokasi", uploads=files)
        assert _files_on_disk(app) == before
        assert db.session.query(Attachment).count() == 0


def test_a_long_file_name_keeps_its_extension(db_session):
    """Is a 300-character name ending in .pdf accepted as a PDF, shortened in its stem?"""
    prepared = prepare(upload(pdf_bytes(), "laporan-" + "x" * 292 + ".pdf"))
    assert prepared.extension == "pdf"
    assert len(prepared.original_name) == uploads.MAX_NAME
    assert prepared.original_name.endswith("x.pdf")


@pytest.mark.parametrize(("size", "shown"), [
    (100, "100 B"), (1023, "1023 B"), (1024, "1 KB"), (1536, "1,5 KB"),
    (5 * 1024 * 1024, "5 MB"), (int(2.25 * 1024 * 1024), "2,2 MB"),
])
def test_file_sizes_read_in_bytes_kilobytes_and_megabytes(app, size, shown):
    """Is a 100-byte file shown as "100 B" (not "0 KB"), and larger ones in KB or MB
    with an Indonesian decimal comma?"""
    from app.filters import format_file_size

    with app.test_request_context():
        assert format_file_size(size, locale="id") == shown


def test_a_small_attachment_shows_its_size_in_bytes(app):
    """Does the detail page show a 50-byte PDF as bytes, not as "0 KB"?"""
    from .support.web import signed_in

    with app.app_context():
        author = make_user("User", email="kecil@example.test")
        data = pdf_bytes()
        message = make_message(author, uploads=prepare_all([upload(data, "kecil.pdf")]))
        mid = message.id
    page = signed_in(app, "kecil@example.test").get(f"/pesan/show/{mid}").get_data(as_text=True)
    assert f"({len(data)} B)" in page and "0 KB" not in page

"""Helpers for the tests of the message screens: signed-in clients, sample files,
and a small cast of people with their messages."""

import io
from dataclasses import dataclass

from PIL import Image

from app.accounts.service import find_opd
from app.extensions import db

from ..conftest import DEFAULT_PASSWORD
from ..factories import forward_to, make_message, make_user

# The login page limits attempts; these tests sign many people in.
WEB_CONFIG = {"RATELIMIT_ENABLED": False}


def signed_in(app, email, password=DEFAULT_PASSWORD):
    """A fresh test client signed in as `email` through the login page."""
    client = app.test_client()
    response = client.post("/login/", data={"username": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed"
    return client


def png_with_gps(size=(16, 16)):
    """A PNG photo carrying EXIF GPS coordinates (Samarinda)."""
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (0.0, 30.0, 0.0), 3: "E", 4: (117.0, 9.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG", exif=exif.tobytes())
    return buffer.getvalue()


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload(data, name):
    return (io.BytesIO(data), name)


@dataclass
class Cast:
    """Who is who in a test, by email, plus the ids of their messages."""

    citizen_a: str
    citizen_b: str
    admin: str
    super_admin: str
    operator_x: str  # DISKOMINFO
    operator_y: str  # DLH
    message_a: int  # by citizen A, forwarded to DISKOMINFO, one attachment
    message_b: int  # by citizen B, forwarded to DLH, one attachment
    attachment_a: int
    attachment_b: int


def make_cast():
    """Two citizens with one forwarded message each, triage staff, two OPDs' operators."""
    from app.services.uploads import PreparedUpload

    def photo():
        return PreparedUpload("foto.png", "png", "image/png", png_with_gps())

    a = make_user("User", email="warga.a@example.test", name="Ani Warga", phone="0811111")
    b = make_user("User", email="warga.b@example.test", name="Budi Warga", phone="0822222")
    admin = make_user("Admin", email="admin@example.test")
    boss = make_user("Super Admin", email="super@example.test")
    make_user("Operator", email="op.x@example.test", opd="DISKOMINFO")
    make_user("Operator", email="op.y@example.test", opd="DLH")
    message_a = make_message(a, title="Internet kantor desa mati", uploads=[photo()])
    message_b = make_message(b, title="Sungai tercemar limbah", uploads=[photo()])
    forward_to(message_a, "DISKOMINFO", admin=admin)
    forward_to(message_b, "DLH", admin=admin)
    db.session.commit()
    return Cast(
        citizen_a=a.email, citizen_b=b.email, admin=admin.email, super_admin=boss.email,
        operator_x="op.x@example.test", operator_y="op.y@example.test",
        message_a=message_a.id, message_b=message_b.id,
        attachment_a=message_a.attachments[0].id, attachment_b=message_b.attachments[0].id,
    )


def opd_id(short_name):
    return find_opd(short_name).id

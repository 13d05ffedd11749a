"""The whole journey through the real pages in Chromium: register, verify by the
emailed link, submit with a photo, triage, process, resolve, follow and rate."""

import io
import re
import time

import pytest
from PIL import Image

from app.extensions import db
from app.models import Message

from .factories import make_user
from .support.mail import smtp_config, smtp_server  # noqa: F401

pytestmark = pytest.mark.browser

PASSWORD = "Kaltim-rahasia-2026"


@pytest.fixture
def app_config(smtp_server):  # noqa: F811
    # The real product: CSRF on, mail through SMTP; no rate limits across steps.
    return {**smtp_config(smtp_server), "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


def _photo_with_gps(path):
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (0.0, 30.0, 0.0), 3: "E", 4: (117.0, 9.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def _wait_for_mail(inbox, address, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if inbox.to(address):
            return inbox.last_to(address)
        time.sleep(0.1)
    raise AssertionError(f"no mail reached {address}")


def _sign_out(page):
    """Through the Logout button (a POST with the CSRF token): in the staff's user menu,
    or in the citizen's lean menu."""
    if page.locator("#user-menu").count():
        page.click("#user-menu")
        page.click("button.navbar-logout")
    elif page.locator("form.logout-form").count():
        page.click("form.logout-form button[type=submit]")
    else:
        return
    page.wait_for_load_state()
    assert page.locator("#user-menu").count() == page.locator("form.logout-form").count() == 0


def _login(page, email, password=PASSWORD):
    _sign_out(page)
    page.goto("/login/")
    page.fill("#username", email)
    page.fill("#password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_whole_journey_in_the_browser(app, page, smtp_server, tmp_path):  # noqa: F811
    """Can a citizen, an Admin and an Operator take a message from sign-up to rating?"""
    with app.app_context():
        make_user("Admin", email="triase@kaltimprov.example.com")
        make_user("Operator", email="operator@kaltimprov.example.com", opd="DLH")

    # 1. Register and verify through the link in the email.
    page.goto("/account/register")
    page.fill("#full_name", "Siti Rahmawati")
    page.fill("#email", "siti@warga.example.com")
    page.fill("#phone", "0812 3456 7890")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("main form button[type=submit]")
    mail = _wait_for_mail(smtp_server, "siti@warga.example.com")
    page.goto(mail.link_to("/account/verify/"))
    page.click("main form button[type=submit]")

    # 2. Sign in and send a message with a photo.
    _login(page, "siti@warga.example.com")
    page.goto("/pesan/add")
    page.fill("#title", "Sampah menumpuk di tepi Sungai Karang Mumus")
    page.fill("#body", "Sudah dua minggu sampah tidak diangkut dan mulai masuk ke sungai.")
    page.fill("#location", "Jl. Pahlawan, Samarinda")
    page.set_input_files("#files", str(_photo_with_gps(tmp_path / "sungai.jpg")))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/pesan/show/\d+"))
    message_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    with app.app_context():
        code = db.session.get(Message, message_id).code
    assert code in page.content()

    # 3. The Admin classifies and forwards it to DLH.
    _login(page, "triase@kaltimprov.example.com")
    page.goto(f"/triase/show/{message_id}")
    page.select_option("#category", label="Pengaduan")
    page.select_option("#subcategory", label="Pencemaran dan Kerusakan Lingkungan")
    page.select_option("#opd", label="Dinas Lingkungan Hidup")
    page.click("#forward button[type=submit]")
    page.wait_for_load_state()

    # 4. The Operator of DLH starts, posts an update and resolves with a file.
    _login(page, "operator@kaltimprov.example.com")
    page.goto(f"/opd/show/{message_id}")
    page.click("#start button[type=submit]")
    page.wait_for_load_state()
    page.fill("#progress-note", "Petugas kebersihan dijadwalkan besok pagi.")
    page.click("#progress button[type=submit]")
    page.wait_for_load_state()
    report = tmp_path / "berita-acara.pdf"
    report.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#resolve-resolution", "Sampah sudah diangkut dan lokasi dibersihkan.")
    page.set_input_files("#resolve-files", str(report))
    page.click("#resolve button[type=submit]")
    page.wait_for_load_state()
    with app.app_context():
        assert db.session.get(Message, message_id).status == "selesai"

    # 5. The citizen sees the timeline and rates the result.
    _login(page, "siti@warga.example.com")
    page.goto(f"/pesan/show/{message_id}")
    text = page.inner_text("body")
    assert "Petugas kebersihan dijadwalkan besok pagi." in text
    assert "Sampah sudah diangkut dan lokasi dibersihkan." in text
    assert "berita-acara.pdf" in text
    page.check("input[name=stars][value='5']", force=True)
    page.fill("textarea[name=comment]", "Cepat ditangani, terima kasih.")
    page.click("form.rating-stars button[type=submit]")
    page.wait_for_load_state()
    assert "Cepat ditangani, terima kasih." in page.inner_text("body")
    with app.app_context():
        message = db.session.get(Message, message_id)
        assert message.rating.stars == 5
        assert [c.kind for c in message.changes] == [
            "submit", "forward", "start", "progress", "resolve"]
    # The citizen was told of each public step by email, with a link to the message.
    updates = smtp_server.to("siti@warga.example.com")
    assert sum(f"/pesan/show/{message_id}" in (m.text or "") for m in updates) >= 4

"""The sender's voice in Chromium: an Operator asks, the citizen answers on their page,
the Operator resolves, the citizen reopens, and anyone follows it by its code."""

import re

import pytest

from app import workflow
from app.extensions import db
from app.models import Message

from .conftest import DEFAULT_PASSWORD
from .factories import forward_to, make_message, make_user
from .support.sqlite_only import app_config, database_url  # noqa: F401

pytestmark = pytest.mark.browser


def _login(page, email):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#username", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _status(app, message_id):
    with app.app_context():
        return db.session.get(Message, message_id).status


def test_citizen_answers_a_question_and_reopens_the_resolution(app, page, tmp_path):
    """Through the real pages: does the citizen's answer bring the message back to the OPD,
    and their reopening send the resolved message back as `diproses`?"""
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        operator = make_user("Operator", email="op@example.test", opd="DLH")
        message = make_message(citizen, title="Sampah di Sungai Karang Mumus")
        forward_to(message, "DLH")
        workflow.start(operator, message)
        message_id, code = message.id, message.code

    # The Operator asks a question from the message's page.
    _login(page, "op@example.test")
    page.goto(f"/opd/show/{message_id}")
    page.fill("#ask-question", "Di bawah jembatan yang mana tepatnya?")
    page.click("#ask button[type=submit]")
    page.wait_for_load_state()
    assert _status(app, message_id) == "menunggu"

    # The citizen sees the question on their page and answers it with a photo.
    _login(page, "warga@example.test")
    page.goto(f"/pesan/show/{message_id}")
    assert "Di bawah jembatan yang mana tepatnya?" in page.inner_text("main")
    photo = tmp_path / "denah.pdf"
    photo.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#answer-text", "Jembatan Arif Rahman Hakim, sisi utara.")
    page.set_input_files("#answer-files", str(photo))
    page.click("section.question button[type=submit]")
    page.wait_for_url(re.compile(rf"/pesan/show/{message_id}$"))
    assert _status(app, message_id) == "diproses"
    assert "Jembatan Arif Rahman Hakim, sisi utara." in page.inner_text("main")

    # The Operator reads the answer and resolves.
    _login(page, "op@example.test")
    page.goto(f"/opd/show/{message_id}")
    assert "Jembatan Arif Rahman Hakim, sisi utara." in page.inner_text("body")
    page.fill("#resolve-resolution", "Sampah sudah diangkut.")
    page.click("#resolve button[type=submit]")
    page.wait_for_load_state()
    assert _status(app, message_id) == "selesai"

    # The citizen is not satisfied and reopens it, with a reason.
    _login(page, "warga@example.test")
    page.goto(f"/pesan/show/{message_id}")
    page.fill("#reopen-reason", "Sampahnya menumpuk lagi keesokan harinya.")
    page.click("#reopen-reason >> xpath=ancestor::form//button[@type='submit']")
    page.wait_for_url(re.compile(rf"/pesan/show/{message_id}$"))
    assert _status(app, message_id) == "diproses"
    main = page.inner_text("main")
    assert "Sampahnya menumpuk lagi keesokan harinya." in main
    assert "Dibuka kembali (1×)" in main

    # Anyone follows it by its code, without the text of the message.
    page.context.clear_cookies()
    page.goto("/")
    page.fill("#kode", code.lower())
    page.click("section.track-box button[type=submit]")
    page.wait_for_load_state()
    tracked = page.inner_text("main")
    assert code in tracked and "Sedang diproses" in tracked
    assert "Sampah di Sungai Karang Mumus" not in tracked

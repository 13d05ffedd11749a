"""Tracking by code without signing in (`/lacak`): unguessable new codes, old codes
still working, nothing private on the page, 404 for unknown codes, a limit per address."""

import re
from datetime import UTC, datetime

import time_machine

from app import workflow
from app.extensions import db
from app.models import Message, tracking_code

from .factories import forward_to, make_message, make_user

CODE = re.compile(r"AE-\d{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def test_new_messages_get_random_readable_codes(db_session):
    """Is a new message's code random (40 bits, no look-alike characters), not its row number?"""
    author = make_user("User")
    codes = [make_message(author, title=f"Pesan {n}").code for n in range(5)]
    assert all(CODE.fullmatch(code) for code in codes), codes
    assert len(set(codes)) == 5
    assert not any(code.endswith(f"{n:06d}") for code in codes for n in range(1, 100))


def _page(client, code):
    return client.get("/lacak/", query_string={"kode": code})


def test_tracking_page_shows_status_opd_and_dates_but_nothing_private(app, client):
    """Does anyone with the code see the status, the OPD and the dates, but no title, text,
    place, name or note?"""
    with app.app_context():
        citizen = make_user("User", name="Budi Santoso")
        message = make_message(citizen, title="Lampu jalan padam", body="Rahasia isi pesan")
        forward_to(message, "DISKOMINFO")
        operator = make_user("Operator", opd="DISKOMINFO", name="Petugas Kominfo")
        workflow.start(operator, message, note="Catatan mulai")
        workflow.ask(operator, message, question="Pertanyaan petugas")
        workflow.answer(citizen, message, text="Ada di RT lima")
        workflow.resolve(operator, message, resolution="Lampu sudah diganti oleh tim")
        code = message.code
    page = _page(client, code.lower()).get_data(as_text=True)
    assert code in page
    assert "Selesai" in page and "Dinas Komunikasi dan Informatika" in page
    for private in ("Lampu jalan padam", "Rahasia isi pesan", "Samarinda", "Budi Santoso",
                    "Petugas Kominfo", "Catatan mulai", "Lampu sudah diganti",
                    "Pertanyaan petugas", "Ada di RT lima"):
        assert private not in page, private
    # One dated step per public timeline entry: sent, forwarded, started, asked, answered,
    # resolved.
    assert page.count('class="when"') == 6


def test_tracking_page_shows_the_current_stages_target_date(app, client):
    """Does the tracking page tell when to expect the OPD's response (a date, in words),
    and say the target is on hold while the sender is asked a question?"""
    with time_machine.travel(datetime(2026, 8, 13, 1, 0, tzinfo=UTC), tick=False):
        with app.app_context():
            message = make_message()
            forward_to(message, "DLH")  # Thursday 13 August + 5 working days (17th off)
            code = message.code
        page = _page(client, code).get_data(as_text=True)
        assert "Target tanggapan OPD: Jumat, 21 Agustus 2026" in page
        with app.app_context():
            message = db.session.get(Message, message.id)
            workflow.ask(make_user("Operator", opd="DLH"), message, question="Di mana?")
        page = _page(client, code).get_data(as_text=True)
        assert "Target tanggapan OPD" not in page and "ditunda" in page


def test_confidential_message_does_not_show_its_opd(app, client):
    """Does the tracking page of a confidential message leave out even the OPD?"""
    with app.app_context():
        message = make_message(confidential=True)
        forward_to(message, "DLH")
        code = message.code
    page = _page(client, code).get_data(as_text=True)
    assert "Diteruskan ke OPD" in page
    assert "Dinas Lingkungan Hidup" not in page


def test_old_codes_keep_working(app, client):
    """Does a message carrying an old row-number code still answer its code?"""
    with app.app_context():
        message = make_message()
        message.code = tracking_code(message.id, message.created_at)
        db.session.commit()
        code = message.code
    assert _page(client, code).status_code == 200


def test_unknown_code_is_a_helpful_404(client):
    """Does an unknown code answer 404 with the form and a word on what a code looks like?"""
    response = _page(client, "AE-2026-ABCD-EFGH")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "AE-2026-ABCD-EFGH" in page and 'name="kode"' in page


def test_tracking_is_limited_per_address(app, client):
    """Are lookups from one address refused (429) beyond TRACK_LIMIT?"""
    app.config["TRACK_LIMIT"] = "3 per minute"
    answers = [_page(client, f"AE-2026-ABCD-EFG{n}").status_code for n in range(2, 7)]
    assert answers == [404, 404, 404, 429, 429]
    other = app.test_client()
    assert other.get("/lacak/", query_string={"kode": "AE-2026-ABCD-EFGH"},
                     environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 404


def test_home_page_and_emails_lead_to_the_tracking_page(app, client):
    """Do the home page's box and the receipt email lead to /lacak with the code?"""
    assert 'action="/lacak/"' in client.get("/").get_data(as_text=True)
    with app.app_context():
        from sqlalchemy import select

        from app.models import OutboxEmail

        citizen = make_user("User", email="pelacak@example.test")
        message = make_message(citizen)
        receipt = db.session.scalars(select(OutboxEmail).where(
            OutboxEmail.recipient == "pelacak@example.test")).first()
        assert f"/lacak?kode={message.code}" in receipt.text_body
        assert db.session.get(Message, message.id).code == message.code

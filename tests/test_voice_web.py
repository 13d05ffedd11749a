"""The sender's voice through the pages: the forms shown on the citizen's message page,
each move posted by the author, refused for another citizen, and the staff's question."""

import pytest
from sqlalchemy import select

from app import workflow
from app.extensions import db
from app.models import AppUser, Message

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, pdf_bytes, signed_in, upload


@pytest.fixture
def app_config():
    return WEB_CONFIG


@pytest.fixture
def scene(app):
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        make_user("User", email="lain@example.test")
        admin = make_user("Admin", email="admin@example.test")
        operator = make_user("Operator", email="op@example.test", opd="DISKOMINFO")
        make_user("Operator", email="dlh@example.test", opd="DLH")
        new = make_message(citizen, title="Pesan baru")
        handled = make_message(citizen, title="Pesan ditangani")
        forward_to(handled, "DISKOMINFO", admin=admin)
        workflow.start(operator, handled)
        ids = {"new": new.id, "handled": handled.id}
    return ids


def _version(app, pk):
    with app.app_context():
        return db.session.get(Message, pk).version


def _status(app, pk):
    with app.app_context():
        return db.session.get(Message, pk).status


def test_new_message_page_offers_withdraw_and_information(app, scene):
    """Does the page of a new message offer "Tambah keterangan" and withdrawing, and does
    withdrawing make it `dibatalkan`?"""
    citizen = signed_in(app, "warga@example.test")
    page = citizen.get(f"/pesan/show/{scene['new']}").get_data(as_text=True)
    assert f"/pesan/withdraw/{scene['new']}" in page and f"/pesan/add_info/{scene['new']}" in page
    assert f"/pesan/reopen/{scene['new']}" not in page
    answer = citizen.post(f"/pesan/withdraw/{scene['new']}",
                          data={"withdraw-version": _version(app, scene["new"]),
                                "withdraw-reason": "Salah kirim"})
    assert answer.status_code == 302 and _status(app, scene["new"]) == "dibatalkan"
    page = citizen.get(f"/pesan/show/{scene['new']}").get_data(as_text=True)
    assert "Dibatalkan pelapor" in page and "/pesan/add_info/" not in page


def test_another_citizen_gets_404_for_every_move(app, scene):
    """Does another citizen's post of any move answer 404 and change nothing?"""
    stranger = signed_in(app, "lain@example.test")
    for name in ("withdraw", "add_info", "answer", "reopen", "appeal"):
        answer = stranger.post(f"/pesan/{name}/{scene['new']}",
                               data={f"{name}-version": _version(app, scene["new"]),
                                     f"{name}-reason": "x", f"{name}-text": "x"})
        assert answer.status_code == 404, name
    assert _status(app, scene["new"]) == "baru"


def test_operator_asks_and_the_citizen_answers_with_a_file(app, scene):
    """Does the operator's question show on the citizen's page with an answer form, and the
    answer (with a PDF) bring the message back to `diproses`?"""
    operator = signed_in(app, "op@example.test")
    pk = scene["handled"]
    assert f"/opd/ask/{pk}" in operator.get(f"/opd/show/{pk}").get_data(as_text=True)
    other = signed_in(app, "dlh@example.test")
    assert other.post(f"/opd/ask/{pk}", data={"ask-version": _version(app, pk),
                                              "ask-question": "?"}).status_code == 404
    answer = operator.post(f"/opd/ask/{pk}", data={"ask-version": _version(app, pk),
                                                   "ask-question": "Di RT berapa?"})
    assert answer.status_code == 302 and _status(app, pk) == "menunggu"
    citizen = signed_in(app, "warga@example.test")
    page = citizen.get(f"/pesan/show/{pk}").get_data(as_text=True)
    assert "Di RT berapa?" in page and f"/pesan/answer/{pk}" in page
    assert "Menunggu tanggapan pelapor" in page
    empty = citizen.post(f"/pesan/answer/{pk}", data={"answer-version": _version(app, pk)})
    assert empty.status_code == 400 and _status(app, pk) == "menunggu"
    answer = citizen.post(f"/pesan/answer/{pk}", content_type="multipart/form-data", data={
        "answer-version": _version(app, pk), "answer-text": "RT 3",
        "answer-files": [upload(pdf_bytes(), "denah.pdf")]})
    assert answer.status_code == 302 and _status(app, pk) == "diproses"
    with app.app_context():
        change = db.session.get(Message, pk).changes[-1]
        assert change.kind == "answer" and [a.original_name for a in change.attachments] == [
            "denah.pdf"]
    assert "RT 3" in operator.get(f"/opd/show/{pk}").get_data(as_text=True)


def test_admin_asks_before_forwarding_only(app, scene):
    """Does the inbox offer the question on a new message, and refuse it once forwarded?"""
    admin = signed_in(app, "admin@example.test")
    assert f"/triase/ask/{scene['new']}" in admin.get(
        f"/triase/show/{scene['new']}").get_data(as_text=True)
    pk = scene["handled"]
    assert f"/triase/ask/{pk}" not in admin.get(f"/triase/show/{pk}").get_data(as_text=True)
    refused = admin.post(f"/triase/ask/{pk}", data={"ask-version": _version(app, pk),
                                                    "ask-question": "?"})
    assert refused.status_code == 409 and _status(app, pk) == "diproses"


def test_citizen_reopens_and_appeals_through_the_page(app, scene):
    """Do the reopen and appeal forms appear when possible, and move the message?"""
    with app.app_context():
        operator = db.session.scalar(select(AppUser).where(AppUser.email == "op@example.test"))
        workflow.resolve(operator, db.session.get(Message, scene["handled"]), resolution="Beres")
        admin = db.session.scalar(select(AppUser).where(AppUser.email == "admin@example.test"))
        workflow.reject(admin, db.session.get(Message, scene["new"]), reason="Duplikat")
    citizen = signed_in(app, "warga@example.test")
    for name, pk, target in (("reopen", scene["handled"], "diproses"),
                             ("appeal", scene["new"], "eskalasi")):
        page = citizen.get(f"/pesan/show/{pk}").get_data(as_text=True)
        assert f"/pesan/{name}/{pk}" in page
        answer = citizen.post(f"/pesan/{name}/{pk}", data={
            f"{name}-version": _version(app, pk), f"{name}-reason": "Belum beres"})
        assert answer.status_code == 302 and _status(app, pk) == target
    page = citizen.get(f"/pesan/show/{scene['handled']}").get_data(as_text=True)
    assert "Dibuka kembali (1×)" in page

"""Who hears about what: the outbox after each move of the workflow."""

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import workflow
from app.accounts.service import find_opd
from app.extensions import db
from app.models import OutboxEmail

from .factories import forward_to, make_message, make_user


@pytest.fixture
def cast(db_session):
    """A citizen (English), an Admin, a Super Admin and operators of DISKOMINFO and DLH."""
    citizen = make_user("User", email="warga@example.test", name="Budi Tersamar",
                        phone="0812999888")
    citizen.locale = "en"
    find_opd("DISKOMINFO").contact_email = "kominfo-kantor@example.test"
    db.session.commit()
    return {
        "citizen": citizen,
        "admin": make_user("Admin", email="admin@example.test"),
        "boss": make_user("Super Admin", email="boss@example.test"),
        "op": make_user("Operator", email="op@example.test", opd="DISKOMINFO"),
        "op2": make_user("Operator", email="op2@example.test", opd="DISKOMINFO"),
        "other_op": make_user("Operator", email="dlh@example.test", opd="DLH"),
    }


def _mail(recipient=None):
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if recipient:
        query = query.where(OutboxEmail.recipient == recipient)
    return db.session.scalars(query).all()


def _new_mail(since, recipient=None):
    return [row for row in _mail(recipient) if row.id > since]


def _last_id():
    rows = _mail()
    return rows[-1].id if rows else 0


def _started(cast, confidential=False):
    message = make_message(cast["citizen"], confidential=confidential)
    forward_to(message, "DISKOMINFO", admin=cast["admin"])
    workflow.start(cast["op"], message)
    return message


def test_each_public_change_sends_the_citizen_one_email_with_link_and_text(cast):
    """Do forward, start, progress and resolve each send the citizen one email with the link
    and the note or resolution?"""
    message = make_message(cast["citizen"])
    link = f"/pesan/show/{message.id}"
    steps = [
        (lambda: forward_to(message, "DISKOMINFO", admin=cast["admin"]), None),
        (lambda: workflow.start(cast["op"], message, note="Kami tangani"), "Kami tangani"),
        (lambda: workflow.progress(cast["op"], message, note="Tim ke lokasi"), "Tim ke lokasi"),
        (lambda: workflow.resolve(cast["op"], message, resolution="Jalan ditambal"),
         "Jalan ditambal"),
    ]
    for step, text in steps:
        since = _last_id()
        step()
        rows = _new_mail(since, "warga@example.test")
        assert len(rows) == 1
        assert link in rows[0].text_body and link in rows[0].html_body
        if text:
            assert text in rows[0].text_body and text in rows[0].html_body


def test_rejection_sends_the_reason(cast):
    """Does a rejected citizen get one email with the reason and the link?"""
    message = make_message(cast["citizen"])
    since = _last_id()
    workflow.reject(cast["admin"], message, reason="Pesan ganda dengan AE-2026-000001")
    rows = _new_mail(since, "warga@example.test")
    assert len(rows) == 1
    assert "Pesan ganda dengan AE-2026-000001" in rows[0].text_body
    assert f"/pesan/show/{message.id}" in rows[0].text_body


def test_internal_note_escalation_and_return_do_not_email_the_citizen(cast):
    """Are internal notes, returns and escalations kept from the citizen's inbox?"""
    message = _started(cast)
    since = _last_id()
    workflow.progress(cast["op"], message, note="Catatan internal", public=False)
    workflow.return_to_triage(cast["op"], message, reason="Bukan urusan kami")
    assert _new_mail(since, "warga@example.test") == []

    other = make_message(cast["citizen"])
    since = _last_id()
    workflow.escalate(cast["admin"], other, reason="Tidak jelas OPD-nya")
    assert _new_mail(since, "warga@example.test") == []
    assert all("Catatan internal" not in row.text_body for row in _mail())


def test_forward_reaches_the_opds_operators_and_contact_not_other_opds(cast):
    """Does a forward email DISKOMINFO's operators and contact address, and nobody at DLH?"""
    message = make_message(cast["citizen"])
    since = _last_id()
    forward_to(message, "DISKOMINFO", admin=cast["admin"])
    recipients = {row.recipient for row in _new_mail(since)}
    assert {"op@example.test", "op2@example.test", "kominfo-kantor@example.test"} <= recipients
    assert "dlh@example.test" not in recipients
    operator_mail = _new_mail(since, "op@example.test")[0]
    assert f"/opd/show/{message.id}" in operator_mail.text_body


def test_inactive_operator_gets_nothing(cast):
    """Is a deactivated operator left out of the forward email?"""
    cast["op2"].active = False
    db.session.commit()
    message = make_message(cast["citizen"])
    since = _last_id()
    forward_to(message, "DISKOMINFO", admin=cast["admin"])
    assert _new_mail(since, "op2@example.test") == []
    assert len(_new_mail(since, "op@example.test")) == 1


def test_new_message_and_return_email_the_admins(cast):
    """Do Admins hear of a new message and of a return, with the triage link?"""
    since = _last_id()
    message = make_message(cast["citizen"])
    rows = _new_mail(since, "admin@example.test")
    assert len(rows) == 1 and f"/triase/show/{message.id}" in rows[0].text_body
    forward_to(message, "DISKOMINFO", admin=cast["admin"])
    since = _last_id()
    workflow.return_to_triage(cast["op"], message, reason="Wewenang DLH")
    rows = _new_mail(since, "admin@example.test")
    assert len(rows) == 1 and "Wewenang DLH" in rows[0].text_body
    assert _new_mail(since, "boss@example.test") == []


def test_escalation_emails_the_super_admins(cast):
    """Does an escalation reach the Super Admins with the reason?"""
    message = make_message(cast["citizen"])
    since = _last_id()
    workflow.escalate(cast["admin"], message, reason="Lintas OPD")
    rows = _new_mail(since, "boss@example.test")
    assert len(rows) == 1 and "Lintas OPD" in rows[0].text_body
    assert _new_mail(since, "admin@example.test") == []


def test_operator_emails_of_a_confidential_message_hide_the_author(cast):
    """Do the OPD's emails about a confidential message carry no name, email or phone?"""
    message = make_message(cast["citizen"], confidential=True)
    since = _last_id()
    forward_to(message, "DISKOMINFO", admin=cast["admin"])
    staff_mail = [row for row in _new_mail(since) if row.recipient != "warga@example.test"]
    assert {row.recipient for row in staff_mail} >= {"op@example.test",
                                                     "kominfo-kantor@example.test"}
    for row in staff_mail:
        for secret in ("Budi Tersamar", "warga@example.test", "0812999888"):
            assert secret not in row.subject + row.text_body + row.html_body


def test_citizen_gets_email_in_their_language(cast):
    """Is an English-speaking citizen's email English, and an Indonesian one's marked id?"""
    message = make_message(cast["citizen"])
    receipt = _mail("warga@example.test")[0]
    assert '<html lang="en">' in receipt.html_body
    assert message.code in receipt.subject
    english_subject = receipt.subject

    local = make_user("User", email="lokal@example.test")  # no locale: the default, id
    make_message(local)
    receipt = _mail("lokal@example.test")[0]
    assert '<html lang="id">' in receipt.html_body
    with force_locale("id"):
        translated = _("Your message has been received: %(code)s", code="X")
    if translated != "Your message has been received: X":  # once the id catalog has it
        assert receipt.subject.split(":")[0] != english_subject.split(":")[0]

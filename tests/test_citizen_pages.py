"""The lean pages' content: the home page's public figures (and their cache), the
answers of refused forms (error summary, field errors, an empty login), the rating's
choices, and Pesan Saya's pages."""

import re
import statistics
from datetime import timedelta

import pytest

from app import workflow
from app.extensions import db
from app.services import figures
from app.services.aggregates_rebuild import rebuild
from app.services.reports import Period

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in


@pytest.fixture
def app_config():
    # Pesan Saya's pages need more messages of one citizen than an hour allows.
    return {**WEB_CONFIG, "SUBMISSIONS_PER_HOUR": 100, "SUBMISSIONS_PER_DAY": 100}


def _resolved(operator, days, author=None):
    """A message resolved `days` calendar days after it was sent, this year."""
    message = make_message(author)
    forward_to(message, "DLH")
    workflow.start(operator, message)
    workflow.resolve(operator, message, resolution="Sudah ditangani.")
    start, _end = Period.this_year().utc_bounds()
    message.created_at = start + timedelta(hours=1)
    message.forwarded_at = message.created_at + timedelta(hours=2)
    message.resolved_at = message.created_at + timedelta(days=days)
    db.session.commit()
    rebuild()  # the dates were changed behind the workflow's back
    db.session.commit()
    return message


def test_home_page_shows_this_years_figures(app, client):
    """Does the home page state this year's messages, the share resolved and the median
    days from sending to resolution, as the data say?"""
    with app.app_context():
        operator = make_user("Operator", opd="DLH")
        durations = [2, 5.5, 9]
        for days in durations:
            _resolved(operator, days)
        make_message(title="Belum ditangani")
    text = client.get("/").get_data(as_text=True)
    median = statistics.median(durations)
    assert "<strong>4</strong> pesan diterima" in text
    assert "<strong>75%</strong>" in text and "selesai (3 dari 4)" in text
    assert f"<strong>{median:.1f}</strong>".replace(".", ",") in text


def test_home_page_figures_are_kept_for_a_while(app, client):
    """Are the home page's figures computed once per PUBLIC_FIGURES_TTL, not per visit?"""
    app.config["PUBLIC_FIGURES_TTL"] = 300
    figures.forget()
    try:
        with app.app_context():
            make_message()
        assert "<strong>1</strong> pesan diterima" in client.get("/").get_data(as_text=True)
        with app.app_context():
            make_message()
        assert "<strong>1</strong> pesan diterima" in client.get("/").get_data(as_text=True)
        figures.forget()  # as when the time is up
        assert "<strong>2</strong> pesan diterima" in client.get("/").get_data(as_text=True)
    finally:
        figures.forget()


def test_empty_login_asks_for_the_email_and_password(client):
    """Does an empty login ask for what is missing instead of saying it is wrong?"""
    text = client.post("/login/", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "Masukkan alamat email Anda." in text and "Masukkan kata sandi Anda." in text
    assert "tidak sesuai" not in text


def test_a_wrong_password_is_still_answered_as_wrong(app, client):
    """Is a filled-in but wrong login still answered with the one generic message?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    text = client.post("/login/", data={"username": "warga@example.test",
                                        "password": "bukan-ini"}).get_data(as_text=True)
    assert "Email atau kata sandi tidak sesuai." in text


def test_a_refused_form_summarises_its_errors_and_ties_them_to_the_fields(app):
    """Does a refused message list its problems at the top, each linking to its field,
    and mark the field invalid and described by its error?"""
    with app.app_context():
        make_user("User", email="warga@example.test")
    citizen = signed_in(app, "warga@example.test")
    response = citizen.post("/pesan/add", data={"title": "", "body": "Isi pesan."},
                            content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = text.split('class="error-summary')[1].split("</div>")[0]
    assert 'role="alert"' in summary and 'href="#title"' in summary
    field = re.search(r'<input[^>]*id="title"[^>]*>', text).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="title-error"' in field
    assert 'id="title-error"' in text
    assert "<title>Kesalahan: " in text


def test_rating_choices_say_what_they_mean(app):
    """Is the rating a group of radios under a legend whose choices say which end is
    good ("1 — sangat tidak puas" … "5 — sangat puas")?"""
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        message = _resolved(make_user("Operator", opd="DLH"), 3, author=citizen)
        message_id = message.id
    text = signed_in(app, "warga@example.test").get(f"/pesan/show/{message_id}").get_data(
        as_text=True)
    fieldset = text.split('<fieldset')[1].split("</fieldset>")[0]
    assert "<legend>Penilaian Anda</legend>" in fieldset
    assert "1 — sangat tidak puas" in fieldset and "5 — sangat puas" in fieldset
    assert fieldset.count('type="radio"') == 5


def test_my_messages_come_in_pages_of_twenty(app):
    """Does Pesan Saya show 20 messages a page with a link to the older ones, and treat
    a nonsense page number as the first page?"""
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        for n in range(23):
            make_message(citizen, title=f"Pesan nomor {n:02d}")
    client = signed_in(app, "warga@example.test")
    first = client.get("/pesan/list/").get_data(as_text=True)
    assert first.count('class="card"') == 20 and "Pesan nomor 22" in first
    assert 'href="/pesan/list/?page=2"' in first
    second = client.get("/pesan/list/?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 3 and "Pesan nomor 00" in second
    for nonsense in ("abc", "-1", "0", "99999999999"):
        response = client.get(f"/pesan/list/?page={nonsense}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('class="card"') == 20

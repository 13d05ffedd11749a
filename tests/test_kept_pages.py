"""Kept pages (app/views/kept_pages.py): a citizen's page drawn once is served again,
and never once anything it shows has changed, nor to anyone else."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from flask import template_rendered
from sqlalchemy import event, func, select

from app import workflow
from app.extensions import db
from app.models import AppUser, Category, Message
from app.services import calendar, figures
from app.services.deadlines import recompute_open
from app.timeutil import utcnow

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in


@pytest.fixture
def app_config():
    return WEB_CONFIG


@pytest.fixture
def scene(app):
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        make_user("User", email="lain@example.test")
        make_user("Operator", email="op@example.test", opd="DISKOMINFO")
        message = make_message(citizen, title="Lampu jalan padam")
        forward_to(message, "DISKOMINFO")
        return message.id


@contextmanager
def drawn(app):
    """The templates drawn meanwhile."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def _user(email):
    return db.session.scalar(select(AppUser).where(AppUser.email == email))


def _resolve(app, message_id):
    """The operator takes the message up and resolves it."""
    with app.app_context():
        message = db.session.get(Message, message_id)
        operator = _user("op@example.test")
        workflow.start(operator, message)
        workflow.resolve(operator, message, resolution="Lampu sudah diganti")


def _text(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_page_seen_again_is_not_drawn_again(app, scene):
    """Is a citizen's message page served again without drawing it, and the same?"""
    citizen = signed_in(app, "warga@example.test")
    first = _text(citizen.get(f"/pesan/show/{scene}"))
    with drawn(app) as names:
        again = _text(citizen.get(f"/pesan/show/{scene}"))
    assert names == []
    assert again == first


def test_an_operators_move_shows_at_once(app, scene):
    """Does the citizen see the operator's move on the very next view of the page and
    of their list?"""
    citizen = signed_in(app, "warga@example.test")
    assert "Diteruskan" in _text(citizen.get(f"/pesan/show/{scene}"))
    assert "Diteruskan" in _text(citizen.get("/pesan/list/"))
    with app.app_context():
        workflow.start(_user("op@example.test"), db.session.get(Message, scene),
                       note="Petugas menuju lokasi")
    page = _text(citizen.get(f"/pesan/show/{scene}"))
    assert "Sedang diproses" in page and "Petugas menuju lokasi" in page
    assert "Sedang diproses" in _text(citizen.get("/pesan/list/"))


def test_a_new_message_shows_in_the_list_and_on_the_home_page(app, scene):
    """Does a message sent meanwhile show in the kept list and in the home page's counts?"""
    citizen = signed_in(app, "warga@example.test")
    assert "Lampu jalan padam" in _text(citizen.get("/pesan/list/"))
    assert "Trotoar rusak" not in _text(citizen.get("/pesan/list/"))
    home = _text(citizen.get("/"))
    with app.app_context():
        make_message(_user("warga@example.test"), title="Trotoar rusak")
    assert "Trotoar rusak" in _text(citizen.get("/pesan/list/"))
    assert _text(citizen.get("/")) != home


def test_a_renamed_category_shows_at_once(app, scene):
    """Does an Admin's new name for a category show on a citizen's kept page?"""
    citizen = signed_in(app, "warga@example.test")
    with app.app_context():
        category = db.session.get(Message, scene).category
        old_name = category.name
    assert old_name in _text(citizen.get(f"/pesan/show/{scene}"))
    with app.app_context():
        db.session.get(Category, category.id).name = "Pengaduan Warga Benua Etam"
        db.session.commit()
    assert "Pengaduan Warga Benua Etam" in _text(citizen.get(f"/pesan/show/{scene}"))


def test_nobody_is_served_another_persons_kept_page(app, scene):
    """After the author's page is kept, does another citizen still get 404 for it and
    their own (empty) list, and a visitor the visitor's home page?"""
    author = signed_in(app, "warga@example.test")
    _text(author.get(f"/pesan/show/{scene}"))
    author_list = _text(author.get("/pesan/list/"))
    author_home = _text(author.get("/"))
    other = signed_in(app, "lain@example.test")
    assert other.get(f"/pesan/show/{scene}").status_code == 404
    other_list = _text(other.get("/pesan/list/"))
    assert "Lampu jalan padam" in author_list and "Lampu jalan padam" not in other_list
    visitor = app.test_client()
    visitor_home = _text(visitor.get("/"))
    assert "/logout/" in author_home and "/logout/" not in visitor_home


def test_each_view_of_a_kept_form_has_its_own_keys(app, scene):
    """Does every view of the kept Tambah Pesan page carry a fresh one-time key and a
    CSRF token of the viewer's own session, so that two tabs send two messages and a
    second browser of the same person can send too?"""
    phone, laptop = signed_in(app, "warga@example.test"), signed_in(app, "warga@example.test")
    app.config["WTF_CSRF_ENABLED"] = True
    forms = [_text(client.get("/pesan/add")) for client in (phone, phone, laptop)]
    onces = [re.search(r'name="once"[^>]*value="([^"]+)"', page).group(1) for page in forms]
    assert len(set(onces)) == 3
    for number, (client, page, once) in enumerate(zip((phone, phone, laptop), forms, onces,
                                                      strict=True)):
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        sent = client.post("/pesan/add", data={
            "title": f"Pesan ke-{number}", "body": "Isi pesan", "location": "",
            "once": once, "csrf_token": token})
        assert sent.status_code == 302, number
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) == 4


def test_a_flashed_message_is_shown_once(app, scene):
    """After a rating, is "thank you" shown on the page once, then not again?"""
    _resolve(app, scene)
    citizen = signed_in(app, "warga@example.test")
    _text(citizen.get(f"/pesan/show/{scene}"))
    citizen.post(f"/pesan/rate/{scene}", data={"stars": "5", "comment": ""})
    assert "Terima kasih" in _text(citizen.get(f"/pesan/show/{scene}"))
    assert "Terima kasih" not in _text(citizen.get(f"/pesan/show/{scene}"))


def test_a_page_follows_the_language(app, scene):
    """Does switching language, or asking for one in the address, serve the page in
    that language, and the kept page in the kept language again afterwards?"""
    citizen = signed_in(app, "warga@example.test")
    assert "Pesan Saya" in _text(citizen.get("/pesan/list/"))
    assert "My messages" in _text(citizen.get("/pesan/list/?_l_=en"))
    assert "Pesan Saya" in _text(citizen.get("/pesan/list/"))
    citizen.get("/lang/en")
    assert "My messages" in _text(citizen.get("/pesan/list/"))
    assert "Pesan Saya" in _text(citizen.get("/pesan/list/?_l_=id"))


def test_time_alone_changes_a_kept_page(app, scene):
    """When the reopen window of a resolved message closes, does the kept page stop
    offering to reopen it (the same sign-in: a session long enough to see it)?"""
    app.config.update(SESSION_IDLE_MINUTES_CITIZEN=60 * 24 * 100, SESSION_MAX_HOURS=24 * 100,
                      PERMANENT_SESSION_LIFETIME=timedelta(days=100))
    _resolve(app, scene)
    citizen = signed_in(app, "warga@example.test")
    assert f"/pesan/reopen/{scene}" in _text(citizen.get(f"/pesan/show/{scene}"))
    with time_machine.travel(utcnow() + timedelta(days=40), tick=False):
        assert f"/pesan/reopen/{scene}" not in _text(citizen.get(f"/pesan/show/{scene}"))


def test_the_home_page_shows_the_figures_it_is_kept_with(app, client):
    """Does the home page keep showing the figures of its computation, and the new ones
    as soon as they are computed again?"""
    app.config["PUBLIC_FIGURES_TTL"] = 300
    figures.forget()
    try:
        with app.app_context():
            make_message()
        assert "<strong>1</strong> pesan diterima" in _text(client.get("/"))
        with drawn(app) as names:
            assert "<strong>1</strong> pesan diterima" in _text(client.get("/"))
        assert names == []
        with app.app_context():
            make_message()
        figures.forget()
        assert "<strong>2</strong> pesan diterima" in _text(client.get("/"))
    finally:
        figures.forget()


def test_a_day_off_added_moves_the_target_date_on_the_kept_page(app, scene):
    """When the Admin adds a day off before the target date, does the citizen's kept
    page show the later target date as soon as the due dates are recomputed (a task,
    which may end after the page was seen again)?"""
    citizen = signed_in(app, "warga@example.test")
    queued = []
    task = app.extensions.get(calendar.RECOMPUTE)
    app.extensions[calendar.RECOMPUTE] = lambda: queued.append(True)

    def target():
        page = _text(citizen.get(f"/pesan/show/{scene}"))
        return re.search(r'<p class="due-target"><strong>([^<]+)</strong>', page).group(1)

    before = target()
    with app.app_context():
        due_before = db.session.get(Message, scene).due_at
        day = calendar.local_today() + timedelta(days=1)
        while not calendar.load().is_working_day(day):
            day += timedelta(days=1)
        calendar.add_day_off(day, "Libur daerah")
    try:
        assert queued and target() == before  # not recomputed yet
        with app.app_context():
            recompute_open()
            assert db.session.get(Message, scene).due_at > due_before
    finally:
        app.extensions.pop(calendar.RECOMPUTE)
        if task is not None:
            app.extensions[calendar.RECOMPUTE] = task
    assert target() != before


def test_a_deactivated_citizen_is_not_served_a_kept_page(app, scene):
    """Once the Admin deactivates the account, is its kept page refused on the very next
    request (the sign-in and permission checks run on every request)?"""
    citizen = signed_in(app, "warga@example.test")
    _text(citizen.get(f"/pesan/show/{scene}"))
    with app.app_context():
        _user("warga@example.test").active = False
        db.session.commit()
    answer = citizen.get(f"/pesan/show/{scene}")
    assert answer.status_code == 302 and "/login/" in answer.headers["Location"]


def test_a_page_seen_again_asks_the_database_nothing_more(app, scene):
    """Is a kept page served with no database statement beyond the sign-in check?"""
    citizen = signed_in(app, "warga@example.test")
    _text(citizen.get("/pesan/list/"))
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        _text(citizen.get("/pesan/list/"))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert statements == []

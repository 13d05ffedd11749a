"""A submission happens once however often it is sent, and a citizen's submissions are
limited per hour and per day."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, update

from app import tasks, workflow
from app.extensions import db
from app.models import AppUser, IdempotencyKey, Message
from app.services import idempotency

from .factories import make_user
from .support.web import WEB_CONFIG, signed_in
from .support.workers import at_once


@pytest.fixture
def app_config():
    return {**WEB_CONFIG, "SUBMISSIONS_PER_HOUR": 3, "SUBMISSIONS_PER_DAY": 5}


@pytest.fixture
def citizen(app):
    with app.app_context():
        make_user("User", email="warga@example.test")
    return signed_in(app, "warga@example.test")


def _token(page):
    return re.search(r'name="once" type="hidden" value="([^"]+)"', page).group(1)


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Message.id)))


def _form(token, title="Drainase tersumbat"):
    return {"title": title, "body": "Air meluap ke jalan setiap hujan.", "once": token}


def test_a_form_sent_twice_makes_one_message(app, citizen):
    """Does a double click (the same form sent twice) create one message and show it?"""
    token = _token(citizen.get("/pesan/add").get_data(as_text=True))
    first = citizen.post("/pesan/add", data=_form(token))
    again = citizen.post("/pesan/add", data=_form(token))
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(app) == 1
    shown = citizen.get(again.headers["Location"]).get_data(as_text=True)
    assert "Pesan ini sudah terkirim" in shown


def test_each_new_form_gets_a_new_token(app, citizen):
    """Are two messages written on two fresh forms both sent?"""
    for title in ("Lampu mati", "Jalan berlubang"):
        token = _token(citizen.get("/pesan/add").get_data(as_text=True))
        assert citizen.post("/pesan/add", data=_form(token, title)).status_code == 302
    assert _count(app) == 2


def test_a_token_reused_for_other_text_is_refused_and_the_text_kept(app, citizen):
    """Is an old form token sent with different text refused, with the text kept and a
    fresh token to send it with?"""
    token = _token(citizen.get("/pesan/add").get_data(as_text=True))
    citizen.post("/pesan/add", data=_form(token, "Sampah menumpuk"))
    refused = citizen.post("/pesan/add", data=_form(token, "Pohon tumbang"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Pohon tumbang" in page and _token(page) != token
    assert _count(app) == 1
    assert citizen.post("/pesan/add", data=_form(_token(page), "Pohon tumbang")).status_code == 302
    assert _count(app) == 2


def test_two_simultaneous_retries_make_one_message(app):
    """When the same submission arrives twice at the same moment, is one message made?"""
    with app.app_context():
        author_id = make_user("User").id
    once = ("kunci-bersama", idempotency.fingerprint({"title": "Banjir"}))
    results = []

    def send():
        with app.app_context():
            author = db.session.get(AppUser, author_id)
            message, replayed = workflow.submit_once(author, once, title="Banjir",
                                                     body="Air setinggi lutut.")
            results.append((message.id, replayed))
            db.session.remove()

    at_once(send, 2)
    assert len({message_id for message_id, _ in results}) == 1
    assert sorted(replayed for _, replayed in results) == [False, True]
    assert _count(app) == 1


def test_keys_are_forgotten_after_a_day(app):
    """Are keys older than 24 hours purged by the hourly task, and fresh ones kept?"""
    with app.app_context():
        author = make_user("User")
        with time_machine.travel(timedelta(hours=-25), tick=False):
            workflow.submit_once(author, ("lama", "x"), title="Lama", body="Pesan lama.")
        workflow.submit_once(author, ("baru", "y"), title="Baru", body="Pesan baru.")
        tasks.enqueue("aspirasi.purge_idempotency_keys")
        assert set(db.session.scalars(select(IdempotencyKey.key))) == {"baru"}


def test_the_hourly_limit_stops_the_fourth_message(app, citizen):
    """With three messages an hour allowed, is the fourth refused with a clear message,
    while another citizen can still send?"""
    for n in range(3):
        assert citizen.post("/pesan/add", data=_form(f"t{n}", f"Pesan {n}")).status_code == 302
    refused = citizen.post("/pesan/add", data=_form("t3", "Pesan keempat"))
    assert refused.status_code == 400
    assert "3 pesan dalam satu jam terakhir" in refused.get_data(as_text=True)
    assert _count(app) == 3
    with app.app_context():
        make_user("User", email="lain@example.test")
    other = signed_in(app, "lain@example.test")
    assert other.post("/pesan/add", data=_form("u0", "Pesan lain")).status_code == 302


def test_the_daily_limit_counts_the_last_24_hours(app):
    """With five a day allowed, is the sixth message of a day refused even hours apart,
    and allowed again the next day?"""
    with app.app_context():
        author = make_user("User")
        for n in range(5):
            with time_machine.travel(timedelta(hours=-20 + 2 * n), tick=False):
                workflow.submit(author, title=f"Pesan {n}", body="Isi pesan.")
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.submit(author, title="Pesan 6", body="Isi pesan.")
        assert refused.value.kind == workflow.Refusal.LIMITED
        with time_machine.travel(timedelta(hours=5), tick=False):
            workflow.submit(author, title="Besok", body="Isi pesan.")


def test_api_idempotency_key_is_scoped_to_the_person_and_a_day(app, client):
    """Over the API, does a repeated Idempotency-Key answer the first message (201), another
    person's same key make their own, and the key work afresh after 24 hours?"""
    from .support.api import ApiUser

    with app.app_context():
        first, second = make_user("User"), make_user("User")
        ani, budi = ApiUser(client, first), ApiUser(client, second)
    body = {"title": "Jembatan retak", "body": "Di Jl. Cendana."}
    key = {"Idempotency-Key": "laporan-jembatan"}
    original = ani.post("/", json=body, headers=key)
    repeated = ani.post("/", json=body, headers=key)
    assert original.status_code == repeated.status_code == 201
    assert original.get_json()["id"] == repeated.get_json()["id"]
    assert original.get_json()["code"] == repeated.get_json()["code"]
    other = budi.post("/", json=body, headers=key)
    assert other.status_code == 201 and other.get_json()["id"] != original.get_json()["id"]
    changed = ani.post("/", json={**body, "body": "Di Jl. Mawar."}, headers=key)
    assert changed.status_code == 422
    with app.app_context():  # a day passes for the key (the token would expire meanwhile)
        db.session.execute(update(IdempotencyKey).values(
            created_at=IdempotencyKey.created_at - timedelta(hours=25)))
        db.session.commit()
    later = ani.post("/", json=body, headers=key)
    assert later.status_code == 201 and later.get_json()["id"] != original.get_json()["id"]
    assert _count(app) == 3

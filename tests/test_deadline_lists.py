"""Everyone sees the clock: due dates and badges in staff lists, the "Terlambat" tabs,
sorting by due date, the citizen's target date on the page and in emails, and the
API's due time and overdue flag."""

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxEmail

from .factories import forward_to, make_message, make_user
from .support.api import people  # noqa: F401  (a fixture)
from .support.web import WEB_CONFIG, signed_in

# Wednesday 12 August 2026, 10:00 WITA; 17 August (Monday) is Independence Day.
WEDNESDAY = datetime(2026, 8, 12, 2, 0)
# Wednesday 26 August 2026, 10:00 WITA.
LATER = datetime(2026, 8, 26, 2, 0)


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _scene(app):
    """An old forwarded message (response due Thu 20 August), an old new one (triage due
    Mon 17 → Tue 18 August) and a fresh one sent on 26 August; DLH has its own."""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        make_user("Operator", email="op@example.test", opd="DISKOMINFO")
        make_user("Operator", email="dlh@example.test", opd="DLH")
        with _at(WEDNESDAY):
            late_opd = make_message(title="Terlambat di OPD")
            forward_to(late_opd, "DISKOMINFO")
            make_message(title="Terlambat di triase")
            other = make_message(title="Terlambat di DLH")
            forward_to(other, "DLH")
        with _at(LATER):
            make_message(title="Pesan segar")


def test_lists_show_due_dates_and_badges_in_words(app):
    """Does the Admin's inbox show each message's due date with "terlambat N hari kerja"
    or "N hari kerja lagi", and sort by due date on request?"""
    _scene(app)
    with _at(LATER):
        admin = signed_in(app, "admin@example.test")
        page = admin.get("/triase/list/?status=all").get_data(as_text=True)
        # Triage of 12 August was due 18 August (17th: Independence Day): on 26 August
        # it is 5 working days late (19, 20, 21, 24, 26; the 25th is a holiday).
        assert "terlambat 5 hari kerja" in page
        assert "3 hari kerja lagi" in page  # sent today: due Monday 31 August
        assert "20 Agustus 2026" in page  # the OPD's response due date
        ordered = admin.get("/triase/list/?status=all&_oc_TriageView=due_at"
                            "&_od_TriageView=asc").get_data(as_text=True)
        assert ordered.index("Terlambat di triase") < ordered.index("Pesan segar")


def test_overdue_tabs_list_only_overdue_messages_in_scope(app):
    """Does "Terlambat" list the overdue messages only, and an Operator's only those of
    their OPD?"""
    _scene(app)
    with _at(LATER):
        inbox = signed_in(app, "admin@example.test").get("/triase/list/?status=terlambat")
        text = inbox.get_data(as_text=True)
        assert inbox.status_code == 200
        assert "Terlambat di triase" in text and "Terlambat di OPD" in text
        assert "Pesan segar" not in text
        mine = signed_in(app, "op@example.test").get("/opd/list/?status=terlambat")
        text = mine.get_data(as_text=True)
        assert "Terlambat di OPD" in text and "Terlambat di DLH" not in text


def test_citizen_sees_the_target_date_on_the_page_and_in_the_email(app):
    """Is the citizen told "Target tanggapan OPD: Kamis, 20 Agustus 2026" on their page
    and in the email that tells them the message was forwarded?"""
    with app.app_context():
        citizen = make_user("User", email="warga@example.test")
        with _at(WEDNESDAY):
            message = make_message(citizen)
            forward_to(message, "DISKOMINFO")
        message_id = message.id
        bodies = db.session.scalars(select(OutboxEmail.text_body).where(
            OutboxEmail.recipient == "warga@example.test")).all()
    assert any("Target verifikasi: Selasa, 18 Agustus 2026" in b for b in bodies)
    assert any("Target tanggapan OPD: Kamis, 20 Agustus 2026" in b for b in bodies)
    with _at(WEDNESDAY):
        page = signed_in(app, "warga@example.test").get(f"/pesan/show/{message_id}")
    assert "Target tanggapan OPD: Kamis, 20 Agustus 2026" in page.get_data(as_text=True)


def test_api_gives_due_time_and_overdue_flag(people, client):  # noqa: F811
    """Does the API give each message's stage, due time (WITA) and whether it is late?"""
    from .support.api import as_user

    with _at(WEDNESDAY):
        message = make_message(people["citizen_a"])
        forward_to(message, "DISKOMINFO", admin=people["admin"])
        fresh = as_user(client, people, "citizen_a").get(f"/{message.id}").get_json()
    assert fresh["due_stage"] == "response"
    assert fresh["due_at"] == "2026-08-20T23:59:59+08:00" and fresh["overdue"] is False
    with _at(LATER):
        late = as_user(client, people, "admin").get("/").get_json()["result"][0]
    assert late["overdue"] is True


def test_api_lists_only_overdue_messages_when_asked(people, client):  # noqa: F811
    """Does `?overdue=true` give an API caller only the overdue messages they may see, the
    "Terlambat" tab of the web lists, and `?overdue=false` the others?"""
    from .support.api import as_user

    with _at(WEDNESDAY):
        late = make_message(people["citizen_a"], title="Terlambat di OPD")
        forward_to(late, "DISKOMINFO", admin=people["admin"])
    with _at(LATER):
        make_message(people["citizen_a"], title="Pesan segar")
        admin = as_user(client, people, "admin")
        overdue = admin.get("/?overdue=true").get_json()["result"]
        on_time = admin.get("/?overdue=false").get_json()["result"]
        refused = admin.get("/?overdue=kadang")
    assert [m["title"] for m in overdue] == ["Terlambat di OPD"]
    assert "Terlambat di OPD" not in [m["title"] for m in on_time]
    assert "Pesan segar" in [m["title"] for m in on_time]
    assert refused.status_code == 400

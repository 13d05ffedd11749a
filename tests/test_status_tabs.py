"""The status tabs above the message lists, and every link that leads to them."""

import re

import pytest

from app import workflow

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _links(page, prefix):
    return [href.replace("&amp;", "&")
            for href in re.findall(r'href="(' + re.escape(prefix) + r'[^"]*)"', page)]


def _one_of_each(app):
    """Messages in `baru`, `eskalasi`, `diteruskan` and `diproses`, titled by status."""
    with app.app_context():
        admin = make_user("Admin", email="admin@example.test")
        make_user("Super Admin", email="super@example.test")
        operator = make_user("Operator", email="op@example.test", opd="DLH")
        make_message(title="Judul baru")
        escalated = make_message(title="Judul eskalasi")
        workflow.escalate(admin, escalated, reason="OPD tidak jelas")
        forward_to(make_message(title="Judul diteruskan"), "DLH", admin=admin)
        started = make_message(title="Judul diproses")
        forward_to(started, "DLH", admin=admin)
        workflow.start(operator, started)


TITLES = ("Judul baru", "Judul eskalasi", "Judul diteruskan", "Judul diproses")


def _shown(page):
    return {title for title in TITLES if title in page}


def test_each_inbox_tab_lists_exactly_its_status(app):
    """Does every tab of the Admin's inbox list that status only, and "All" everything?"""
    _one_of_each(app)
    admin = signed_in(app, "admin@example.test")
    inbox = admin.get("/triase/list/").get_data(as_text=True)
    assert _shown(inbox) == {"Judul baru"}  # the inbox opens on new messages
    tabs = _links(inbox.split('class="nav nav-pills status-tabs"')[1].split("</ul>")[0],
                  "/triase/list/")
    assert len(tabs) == 10  # All + the eight statuses + "Terlambat" (none overdue here)
    assert tabs[-1].endswith("status=terlambat")
    tabs = tabs[:-1]
    seen = {}
    for url in tabs:
        page = admin.get(url)
        assert page.status_code == 200, url
        seen[url] = _shown(page.get_data(as_text=True))
    assert seen[tabs[0]] == set(TITLES)
    assert sorted(tuple(sorted(v)) for v in list(seen.values())[1:] if v) == sorted(
        (title,) for title in TITLES
    )


def test_home_page_counts_lead_to_the_same_lists(app):
    """Does each count on the home page link to the list of exactly those messages?"""
    _one_of_each(app)
    for email, prefix, expected in (
        ("admin@example.test", "/triase/list/", set(TITLES)),
        ("op@example.test", "/opd/list/", {"Judul diteruskan", "Judul diproses"}),
    ):
        person = signed_in(app, email)
        home = person.get("/").get_data(as_text=True)
        links = _links(home, prefix)
        assert links, email
        found = set()
        for url in links:
            page = person.get(url)
            assert page.status_code == 200, url
            found |= _shown(page.get_data(as_text=True))
        assert found == expected


def test_escalation_menu_lists_the_escalated_messages(app):
    """Does the Super Admin's "Escalations" menu item open the escalated messages only?"""
    _one_of_each(app)
    boss = signed_in(app, "super@example.test")
    home = boss.get("/").get_data(as_text=True)
    link = next(url for url in _links(home, "/triase/list/") if "eskalasi" in url)
    assert _shown(boss.get(link).get_data(as_text=True)) == {"Judul eskalasi"}


def test_search_covers_every_status(app):
    """Does a search by title find messages whatever their status, not just new ones?"""
    _one_of_each(app)
    admin = signed_in(app, "admin@example.test")
    page = admin.get("/triase/list/?_flt_2_title=diproses").get_data(as_text=True)
    assert _shown(page) == {"Judul diproses"}


@pytest.mark.parametrize("value", ["selesai'--", "BARU", "", "x" * 300])
def test_unknown_status_tab_is_a_friendly_message(app, value):
    """Does a made-up status in the address give the list again with a notice, not an error?"""
    _one_of_each(app)
    admin = signed_in(app, "admin@example.test")
    response = admin.get("/triase/list/", query_string={"status": value},
                         follow_redirects=True)
    assert response.status_code == 200
    assert "Traceback" not in response.get_data(as_text=True)


def test_operator_tabs_stay_within_their_opd(app):
    """Can an Operator's tabs, even one typed by hand, only ever show their OPD's messages?"""
    _one_of_each(app)
    with app.app_context():
        other = make_message(title="Judul OPD lain")
        forward_to(other, "DISKOMINFO")
    operator = signed_in(app, "op@example.test")
    for status in ("diteruskan", "baru", "all"):
        page = operator.get("/opd/list/", query_string={"status": status})
        assert "Judul OPD lain" not in page.get_data(as_text=True)

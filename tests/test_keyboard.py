"""Keyboard only: every menu item can be reached with Tab, and a citizen can register,
send a message and rate it without a mouse (Tab, Shift+Tab, Enter, Space, arrows).

SQLite only: these tests are about pages, not SQL.
"""

import pytest
from sqlalchemy import select

from app import workflow
from app.accounts.tokens import make_verify_token
from app.extensions import db
from app.models import AppUser, Message

from .conftest import DEFAULT_PASSWORD
from .factories import forward_to, make_user
from .support.sessions import browser_session
from .support.sqlite_only import app_config, database_url  # noqa: F401

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_TABS = 120


def _focused(page):
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, href: el.getAttribute("href"),
                toggle: el.matches(".dropdown-toggle, .menu-toggle"),
                expanded: el.getAttribute("aria-expanded")};
    }""")


def tab_to(page, selector, key="Tab"):
    """Press Tab until the focused element matches `selector`; fail after MAX_TABS."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def _menu_links(page):
    """The address of every item of the page's main menu (lean or FAB's)."""
    return set(page.eval_on_selector_all(
        "#site-nav a[href], #main-menu a[href]:not([href='#'])",
        "links => links.map(a => a.getAttribute('href'))"))


def _reached_with_tab(page):
    """Every link focused while tabbing through the page once; closed menus (the
    phone's menu button, FAB's dropdowns) are opened with Enter on the way."""
    reached = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] == "BODY":
            break
        if focused["toggle"] and focused["expanded"] == "false":
            page.keyboard.press("Enter")
        elif focused["href"]:
            reached.add(focused["href"])
    return reached


@pytest.mark.parametrize(("role", "viewport"), [
    ("anonymous", DESKTOP), ("anonymous", PHONE), ("User", DESKTOP), ("User", PHONE),
    ("Admin", DESKTOP), ("Operator", DESKTOP), ("Super Admin", DESKTOP),
])
def test_every_menu_item_is_reached_with_tab(app, browser, live_server, role, viewport):
    """Can a keyboard user reach every item of the main menu with Tab (opening the
    phone's menu and the menu's groups with Enter)?"""
    email = None
    if role != "anonymous":
        with app.app_context():
            email = make_user(role, opd="DLH" if role == "Operator" else None).email
    with browser_session(browser, live_server.url, email, viewport=viewport) as page:
        page.goto("/")
        expected = _menu_links(page)
        assert len(expected) >= 3
        missing = expected - _reached_with_tab(page)
        assert not missing, f"menu items a keyboard cannot reach: {sorted(missing)}"


def _type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def _press_and_load(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def _follow_link(page, selector):
    """Tab to a link or button and press Enter; wait for the page it opens."""
    tab_to(page, selector)
    _press_and_load(page)


def test_citizen_registers_sends_and_rates_with_the_keyboard_alone(app, browser, live_server):
    """Can a citizen register, verify, sign in, send a message and rate its resolution
    using only the keyboard?"""
    with browser_session(browser, live_server.url, viewport=PHONE) as page:
        page.goto("/")
        _follow_link(page, "main a[href^='/account/register']")
        for field, text in (("#full_name", "Siti Rahmawati"), ("#email", "siti@warga.example"),
                            ("#phone", "0812 3456 7890"), ("#password", DEFAULT_PASSWORD),
                            ("#confirm", DEFAULT_PASSWORD)):
            _type_into(page, field, text)
        _press_and_load(page)
        assert "/account/check-email" in page.url

        with app.app_context():
            citizen = db.session.scalar(select(AppUser).where(
                AppUser.email == "siti@warga.example"))
            token = make_verify_token(citizen)
        page.goto(f"/account/verify/{token}")  # the link in the email
        _follow_link(page, "main button[type=submit]")
        assert "/login/" in page.url

        _type_into(page, "#username", "siti@warga.example")
        _type_into(page, "#password", DEFAULT_PASSWORD)
        _press_and_load(page)

        # The menu button opens the phone's menu; "Tambah Pesan" is in it.
        tab_to(page, ".menu-toggle")
        page.keyboard.press("Enter")
        _follow_link(page, "#site-nav a[href='/pesan/add']")
        _type_into(page, "#title", "Lampu jalan padam di Jl. Juanda")
        _type_into(page, "#body", "Sudah seminggu lampu jalan di depan sekolah padam.")
        _type_into(page, "#location", "Samarinda")
        tab_to(page, "#confidential")
        page.keyboard.press("Space")
        _follow_link(page, "main button[type=submit]")
        assert "/pesan/show/" in page.url
        message_id = int(page.url.rsplit("/", 1)[-1])

        with app.app_context():
            message = db.session.get(Message, message_id)
            assert message.confidential is True
            operator = make_user("Operator", opd="DLH")
            forward_to(message, "DLH")
            workflow.start(operator, message)
            workflow.resolve(operator, message, resolution="Lampu sudah diganti.")

        page.goto("/")
        _follow_link(page, "main a[href='/pesan/list/']")
        _follow_link(page, f"main a[href='/pesan/show/{message_id}']")
        tab_to(page, "#stars-0")
        for _ in range(4):  # from "1 — very dissatisfied" to "5 — very satisfied"
            page.keyboard.press("ArrowRight")
        _type_into(page, "#comment", "Cepat, terima kasih.")
        _follow_link(page, "form.rating-stars button[type=submit]")
        assert "Cepat, terima kasih." in page.inner_text("main")

    with app.app_context():
        rating = db.session.get(Message, message_id).rating
        assert (rating.stars, rating.comment) == (5, "Cepat, terima kasih.")

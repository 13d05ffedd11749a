"""The Content-Security-Policy, framing and logout in a real browser (Chromium)."""

import pytest

from .conftest import DEFAULT_PASSWORD
from .factories import make_message, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _sign_in(page, email):
    page.goto("/login/")
    page.fill("#username", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def _watch(page):
    """Console complaints about the policy and uncaught script errors, as they come."""
    problems = []
    page.on("console", lambda m: problems.append(m.text)
            if "Content Security Policy" in m.text
            or (m.type == "error" and "favicon" not in (m.location or {}).get("url", ""))
            else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return problems


def test_staff_pages_run_their_scripts_under_the_policy(app, page):
    """Do the staff pages (lists, forms with select2 and date pickers, a message with
    its forms, the report's charts, the API docs) run without a single script refused
    by the Content-Security-Policy, with our texts applied?"""
    with app.app_context():
        make_user("Super Admin", email="boss@example.test")
        message_id = make_message().id
    problems = _watch(page)
    _sign_in(page, "boss@example.test")
    for path in ("/", "/opdview/list/", "/opdview/add", f"/triase/show/{message_id}",
                 "/reports/?preset=all", "/swagger/v1", "/profile/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert problems == []
    page.goto("/opdview/list/")
    assert page.evaluate("() => jQuery.fn.datepicker.defaults.language") == "id"


def test_a_page_of_ours_cannot_be_framed(app, page, live_server):
    """Does the browser refuse to show the password form inside another page's frame?"""
    with app.app_context():
        make_user(email="bingkai@example.test")
    _sign_in(page, "bingkai@example.test")
    problems = _watch(page)
    page.set_content(f'<iframe src="{live_server.url}/profile/password"></iframe>')
    page.wait_for_timeout(500)
    frame = page.frames[1]
    assert "current_password" not in frame.content()
    assert any("frame" in text.lower() for text in problems) or frame.url.startswith("chrome-error")


def test_logout_button_ends_the_session_for_every_copy(app, page, browser, live_server):
    """After Logout from the menu, does a second browser holding a copy of the cookie
    find itself signed out too?"""
    with app.app_context():
        make_user(email="menu@example.test")
    _sign_in(page, "menu@example.test")
    cookies = page.context.cookies()
    page.click("form.logout-form button[type=submit]")  # a citizen's page: the lean menu
    page.wait_for_load_state()
    assert page.locator("form.logout-form").count() == 0
    other = browser.new_context(base_url=live_server.url)
    try:
        other.add_cookies(cookies)
        copy = other.new_page()
        copy.goto("/profile/")
        assert "/login/" in copy.url
    finally:
        other.close()

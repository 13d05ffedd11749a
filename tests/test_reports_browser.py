"""The report's charts in a real browser at phone size (Chromium through Playwright)."""

import pytest

from app.services.demo import DEMO_ADMIN

from .conftest import DEFAULT_PASSWORD
from .support.reports import load_seed_demo

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_url(app, live_server):
    with app.app_context():
        load_seed_demo()
    return live_server.url


@pytest.fixture
def phone(browser):
    """A phone-sized page in the shared Chromium (fails in CI when it is missing)."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def _charts_drawn(page):
    """How many canvases Chart.js drew on, and whether the page scrolls sideways."""
    return page.evaluate("""() => ({
        drawn: [...document.querySelectorAll('canvas[data-chart]')]
            .filter(c => window.Chart && Chart.getChart(c) && c.width > 0).length,
        sideways: document.documentElement.scrollWidth > window.innerWidth + 1,
    })""")


def test_report_charts_draw_on_a_phone(live_url, phone):
    """Does an Admin on a phone see the three charts, without sideways scrolling?"""
    phone.goto(f"{live_url}/login/")
    phone.fill("#username", DEMO_ADMIN)
    phone.fill("#password", DEFAULT_PASSWORD)
    phone.locator("form [type=submit]").first.click()
    phone.goto(f"{live_url}/reports/?preset=all")
    phone.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
    assert _charts_drawn(phone) == {"drawn": 3, "sideways": False}


def test_public_statistics_charts_draw_for_a_visitor(live_url, phone):
    """Does a visitor's phone draw the public statistics charts from local files only?"""
    outside = []
    phone.on("request", lambda r: outside.append(r.url)
             if not r.url.startswith(live_url) else None)
    phone.goto(f"{live_url}/statistik/")
    assert _charts_drawn(phone)["sideways"] is False
    assert outside == []

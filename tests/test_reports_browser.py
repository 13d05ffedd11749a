"""The report's charts in a real browser at phone size (Chromium through Playwright)."""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app.services.demo import DEMO_ADMIN

from .conftest import DEFAULT_PASSWORD
from .support.reports import load_seed_demo

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_url(app):
    with app.app_context():
        load_seed_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def phone():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport=PHONE)
        yield page
        browser.close()


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

"""Light pages for slow phone networks: a first visit to the home page and to the
new-message form transfers at most 100 KB (bytes on the wire, empty cache, a 390 px
Chromium), and a second visit fetches nothing but the HTML.

Also how static files are served: content-hashed names, compressed, cached a year.
SQLite only for the browser part: these tests are about pages, not SQL.
"""

import re
import threading

import pytest

from .factories import make_user
from .support.browser import LiveServer
from .support.sessions import browser_session
from .support.sqlite_only import app_config, database_url  # noqa: F401

BUDGET = 100 * 1024
PHONE = {"width": 390, "height": 844}


class Recorder:
    """The app as a WSGI callable that remembers every path it was asked for."""

    def __init__(self, app):
        self.app = app
        self.config = app.config
        self.paths = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


def _bytes_on_the_wire(page, path):
    """(bytes received, number of requests) of loading `path` into `page`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    finished = []
    cdp.on("Network.loadingFinished", lambda event: finished.append(event["encodedDataLength"]))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return sum(finished), len(finished)


@pytest.mark.browser
@pytest.mark.parametrize(("who", "path"), [("visitor", "/"), ("citizen", "/pesan/add")])
def test_first_visit_is_light_and_a_revisit_fetches_only_the_html(app, browser, who, path):
    """Does a first visit transfer at most 100 KB, and a second one fetch only the page?"""
    email = None
    if who == "citizen":
        with app.app_context():
            email = make_user("User").email
    recorder = Recorder(app)
    with LiveServer(recorder) as server:
        with browser_session(browser, server.url, email, viewport=PHONE) as page:
            received, requests = _bytes_on_the_wire(page, path)
            assert received <= BUDGET, f"{path}: {received} bytes in {requests} requests"
            recorder.paths.clear()
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert recorder.paths == [path]


def test_static_files_have_hashed_names_compression_and_a_year_of_cache(app, client):
    """Do pages link static files by content-hashed names, served gzipped and immutable
    for a year, FAB's files included?"""
    html = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/lean\.[0-9a-f]{12}\.css)"', html).group(1)
    response = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) \
        >= 365 * 24 * 3600
    with app.test_request_context():
        from flask import url_for

        jquery = url_for("appbuilder.static", filename="js/jquery-latest.js")
    assert re.fullmatch(r"/static/appbuilder/js/jquery-latest\.[0-9a-f]{12}\.js", jquery)
    assert "immutable" in client.get(jquery).headers["Cache-Control"]
    # The old, unhashed name still answers, briefly cached (a page may be old).
    old = client.get("/static/css/lean.css")
    assert old.status_code == 200 and "immutable" not in old.headers["Cache-Control"]


def test_stylesheets_point_at_hashed_fonts(app, client):
    """Does FAB's icon stylesheet load its font by the font's hashed name?"""
    with app.test_request_context():
        from flask import url_for

        css_url = url_for("appbuilder.static", filename="css/fontawesome/solid.min.css")
    css = client.get(css_url).get_data(as_text=True)
    font = re.search(r"url\(\.\./webfonts/(fa-solid-900\.[0-9a-f]{12}\.woff2)\)", css)
    assert font, "the stylesheet still names the unhashed font"
    assert client.get(f"/static/appbuilder/css/webfonts/{font.group(1)}").status_code == 200


def test_favicon_is_served(client):
    """Does the browser's first request for /favicon.ico find an icon (no 404)?"""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["Content-Type"] in ("image/vnd.microsoft.icon", "image/x-icon")


TARGETS = """() => [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary")]
  .filter(el => el.offsetParent !== null && !el.closest(".skip"))
  .map(el => ({what: el.outerHTML.slice(0, 80), box: el.getBoundingClientRect(),
               label: el.labels && el.labels[0] ? el.labels[0].getBoundingClientRect() : null}))
  .filter(t => Math.min(t.box.height, t.box.width) < 44
               && !(t.label && t.label.height >= 44))
  .map(t => `${Math.round(t.box.width)}×${Math.round(t.box.height)} ${t.what}`)"""


@pytest.mark.browser
def test_citizen_pages_have_44px_targets_on_a_phone(app, browser, live_server):
    """Is every link, button and field of the citizen's pages at least 44×44 px on a
    phone (a radio or checkbox counting with its label)?"""
    from .support.pages import make_scene

    with app.app_context():
        emails, ids = make_scene()
    small = []
    for email, paths in (
        (None, ["/", "/login/", "/account/register", "/account/forgot-password", "/statistik/"]),
        (emails["citizen"], ["/", "/pesan/add", "/pesan/list/", f"/pesan/show/{ids['resolved']}",
                             f"/pesan/show/{ids['rated']}", "/statistik/"]),
    ):
        with browser_session(browser, live_server.url, email, viewport=PHONE) as page:
            for path in paths:
                page.goto(path)
                page.click(".menu-toggle")  # the phone's menu, open
                small += [f"{path}: {target}" for target in page.evaluate(TARGETS)]
    assert not small, "targets under 44 px:\n" + "\n".join(small)

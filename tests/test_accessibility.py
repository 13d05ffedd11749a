"""Every HTML page of the app passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules, at a
desktop and a phone size, in Indonesian and in English: public, citizen, Admin,
Operator and Super Admin pages, refused forms and error pages. The pages come from
the URL map (tests/support/pages.py), so a new page fails until it is listed.

SQLite only: these tests are about pages, not SQL. axe-core comes from the
axe-playwright-python package (requirements-dev.txt).
"""

import re

import pytest

from .support.pages import ERROR_PAGES, PAGES, NotAPage, make_scene
from .support.sessions import browser_session, with_language
from .support.sqlite_only import app_config, database_url  # noqa: F401

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LANGUAGES = ("id", "en")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}


def _get_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]


def test_every_page_is_listed_for_the_accessibility_check(app):
    """Does every endpoint that answers GET say which pages it shows, or why none?"""
    missing = sorted({rule.endpoint for rule in _get_rules(app)} - PAGES.keys())
    assert not missing, f"endpoints missing from tests/support/pages.py: {missing}"


def _axe_script():
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def _structure(page, where):
    """What axe does not check: one <main> and one <h1>, a skip link to the main
    content, and a title of the page's own followed by the app's name."""
    facts = page.evaluate("""() => ({
        main: document.querySelectorAll("main").length,
        h1: document.querySelectorAll("h1").length,
        skip: !!document.querySelector("a[href='#main']"),
        title: document.title})""")
    found = [f"{where} {problem}" for problem, bad in (
        (f"has {facts['main']} <main>", facts["main"] != 1),
        (f"has {facts['h1']} <h1>", facts["h1"] != 1),
        ("has no skip link", not facts["skip"]),
        (f"is titled {facts['title']!r}", not re.fullmatch(r".+ — Aspirasi Etam", facts["title"])),
    ) if bad]
    return found, facts["title"]


def _violations(page, where):
    found = []
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in result["violations"]:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
            found.append(f"{where} [{viewport}] {violation['id']} ({violation['impact']}): "
                         f"{targets}")
    return found


@pytest.mark.browser
def test_every_page_passes_axe(app, browser, live_server):
    """Does every page (and every refused form and error page) pass axe-core's WCAG 2.2
    AA rules at 1366×768 and 390×844, in Indonesian and in English?"""
    with app.app_context():
        emails, ids = make_scene()
    by_role = {}
    for entry in PAGES.values():
        if not isinstance(entry, NotAPage):
            for visit in entry:
                by_role.setdefault(visit.role, []).append(visit)
    for visit in ERROR_PAGES:
        by_role.setdefault(visit.role, []).append(visit)

    problems = []
    titles = {}  # (role, title, language): the addresses that carry it
    checked = 0
    for role, role_visits in by_role.items():
        with browser_session(browser, live_server.url, emails.get(role)) as page:
            page.context.add_init_script(script=_axe_script())
            for visit in role_visits:
                path = visit.path.format(**ids)
                for language in LANGUAGES:
                    url = with_language(path, language)
                    page.goto(url)
                    problems += _violations(page, f"{role} {url}")
                    wrong, title = _structure(page, f"{role} {url}")
                    problems += wrong
                    if visit not in ERROR_PAGES:  # one error page, many addresses
                        titles.setdefault((role, title, language), set()).add(visit.path)
                    checked += 1
                    if visit.submit_empty:
                        page.locator("main form button[type=submit]").first.click()
                        page.wait_for_load_state()
                        problems += _violations(page, f"{role} {url} (sent empty)")
                        checked += 1
    shared = {title: paths for (_role, title, _lang), paths in titles.items()
              if len({path.split("?")[0] for path in paths}) > 1}
    assert checked > 100
    assert not problems, "axe-core violations:\n" + "\n".join(problems)
    assert not shared, f"pages that share a title: {shared}"

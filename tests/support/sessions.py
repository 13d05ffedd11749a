"""Browser sessions for the page tests: a fresh Chromium context, signed in through
the real login page when an email is given."""

from contextlib import contextmanager

from ..conftest import DEFAULT_PASSWORD


def with_language(path, language):
    """`path` asking for one language for this request only (`?_l_=`)."""
    return f"{path}{'&' if '?' in path else '?'}_l_={language}"


@contextmanager
def browser_session(browser, base_url, email=None, password=DEFAULT_PASSWORD, **options):
    context = browser.new_context(base_url=base_url, locale="id-ID", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        if email:
            page.goto("/login/")
            page.fill("#username", email)
            page.fill("#password", password)
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            assert "/login/" not in page.url, f"sign-in of {email} failed"
        yield page
    finally:
        context.close()

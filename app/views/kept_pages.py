"""Pages kept as drawn: a citizen's page is drawn once and served again, in the same
worker, while nothing it shows can have changed.

Citizens look at the same few pages again and again (is there news on my message?),
and drawing one costs many times what serving it does. A page is kept under a key
holding everything it is drawn from:

- the address (endpoint, path and query, host) and the language chosen (what the
  page's language is chosen from: `i18n.language_chosen`);
- who reads it: the reading of the signed-in person (`known_users.reading()`: every
  column of their row, including `pages_revision`, bumped in the same transaction as
  any change to one of their messages, and their roles), or "a visitor";
- the site's page revision (names of OPDs and categories, the calendar, service
  levels, due dates recomputed: app/services/page_revisions.py);
- the current minute of the clock: what changes with time alone (due dates
  turning overdue, a window to answer closing) shows within a minute;
- what else the view names (`also`): this year's public figures are kept for a few
  minutes per process (app/services/figures.py), and a page showing them is kept
  under the computation it shows.

Only GET pages of the lean layout (visitors and citizens) that came out as 200 HTML
with no message flashed are kept; nothing else is. The values that must differ on
every page drawn are not kept: the CSRF token, and the one-time keys of forms
(`one_time`), are put back fresh each time the page is served. The permission check
(`@has_access`) and every request hook run on every request as before: only the
view's drawing is skipped.

Kept per process in a bounded LRU (cachetools), behind a lock for threaded servers.
"""

import functools
import threading
import time

from cachetools import LRUCache
from flask import current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from ..accounts import known_users
from ..extensions import db
from ..i18n import language_chosen
from ..models import PageRevision
from .layout import uses_lean_layout

# About 10 MB per worker at 20 KB a page.
_LIMIT = 500
_CSRF = b"\x00csrf\x00"
_FRESH = "aspirasi_fresh_values"


def kept_page(view=None, *, also=None):
    """Serve `view`'s page as kept while its key is unchanged (under `@has_access`).
    `also()`: what else the page is drawn from, added to the key (None: do not keep)."""
    if view is None:
        return functools.partial(kept_page, also=also)

    @functools.wraps(view)
    def serve(*args, **kwargs):
        key = _key(also)
        if key is not None:
            store = _store()
            with store.lock:
                page = store.pages.get(key)
            if page is not None:
                return page.response(store)
        # Drawn: the signed-in user is needed in the database session after all.
        known_users.attach()
        # Only pages of the lean layout are kept: a reader of another layout (staff)
        # has a key of their own, which therefore never finds a page.
        if key is None or not uses_lean_layout():
            return view(*args, **kwargs)
        g.setdefault(_FRESH, [])
        response = current_app.make_response(view(*args, **kwargs))
        page = _Page.of(response)
        if page is not None:
            with store.lock:
                store.pages[key] = page
        return response

    serve.aspirasi_kept_page = True  # fab/manager.py: its user may wait (known_users)
    return serve


def one_time(make):
    """`make()`, a value that must differ on every page drawn (a form's one-time key):
    a kept page gets a new one, from `make`, each time it is served."""
    value = make()
    fresh = g.get(_FRESH)
    if fresh is not None:
        fresh.append((value, make))
    return value


def _key(also):
    if request.method != "GET" or "_flashes" in session:
        return None
    user = g.get("user")
    if user is not None and user.is_authenticated:
        reader = known_users.reading()
        if reader is None:
            return None
    else:
        reader = ("visitor", db.session.execute(select(PageRevision.revision)).scalar())
    key = (request.endpoint, request.host, request.full_path, language_chosen(), reader,
           int(time.time()) // 60)
    if also is None:
        return key
    extra = also() if uses_lean_layout() else None
    return None if extra is None else (*key, extra)


class _Store:
    def __init__(self):
        self.pages = LRUCache(maxsize=_LIMIT)
        self.tokens = LRUCache(maxsize=_LIMIT)  # raw CSRF token: (second, signed token)
        self.lock = threading.Lock()


def _store():
    store = current_app.extensions.get("aspirasi_kept_pages")
    if store is None:
        store = current_app.extensions.setdefault("aspirasi_kept_pages", _Store())
    return store


def _csrf_field():
    """Where Flask-WTF keeps the token: the session's raw one, the request's signed one."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _csrf_token(store):
    """Flask-WTF's CSRF token for this request (`generate_csrf()`). Its signature of the
    session's raw token carries the time in whole seconds, so it is the same for every
    request of that session within a second: signed once per second and reused."""
    field = _csrf_field()
    raw = session.get(field)
    if field in g or not isinstance(raw, str):
        return generate_csrf()
    second = int(time.time())
    with store.lock:
        signed = store.tokens.get(raw)
    if signed is not None and signed[0] == second:
        setattr(g, field, signed[1])
        return signed[1]
    token = generate_csrf()
    with store.lock:
        store.tokens[raw] = (second, token)
    return token


class _Page:
    """A page as drawn, with its fresh values cut out."""

    def __init__(self, body, status, headers, csrf, fresh):
        self.body, self.status, self.headers = body, status, headers
        self.csrf, self.fresh = csrf, fresh

    @classmethod
    def of(cls, response):
        """The page to keep of `response`, or None when it must not be kept."""
        if (response.status_code != 200 or response.mimetype != "text/html"
                or response.direct_passthrough or not response.is_sequence
                or "_flashes" in session or "Set-Cookie" in response.headers):
            return None
        body = response.get_data()
        token = g.get(_csrf_field())
        csrf = token is not None and token.encode() in body
        if csrf:
            body = body.replace(token.encode(), _CSRF)
        fresh = []
        for number, (value, make) in enumerate(g.get(_FRESH, ())):
            marker = b"\x00fresh%d\x00" % number
            body = body.replace(value.encode(), marker)
            fresh.append((marker, make))
        headers = [(name, value) for name, value in response.headers.items()
                   if name.lower() != "content-length"]
        return cls(body, response.status_code, headers, csrf, tuple(fresh))

    def response(self, store):
        body = self.body
        if self.csrf:
            body = body.replace(_CSRF, _csrf_token(store).encode())
        for marker, make in self.fresh:
            body = body.replace(marker, make().encode())
        return current_app.response_class(body, self.status, self.headers)

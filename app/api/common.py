"""What every API answer shares: its language, its pages, its date windows."""

from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from flask_babel import get_babel
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import locale_of
from ..models import Message
from ..services.reports import Period

API_PREFIX = "/api/"


def api_locale():
    """`?_l_=en`, then Accept-Language, then the token user's own choice, then the
    default. Unknown values are passed over, never refused."""
    languages = list(current_app.config["LANGUAGES"])
    asked = request.args.get("_l_")
    if asked in languages:
        return asked
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    user_locale = getattr(g.get("user"), "locale", None)
    if user_locale in languages:
        return user_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def negotiate_api_locale(app):
    """Answers under /api/ (ours, FAB's and the error handlers') speak `api_locale`;
    pages keep Flask-AppBuilder's choice (`?_l_=`, then the session)."""
    babel = get_babel(app)
    for_pages = babel.locale_selector

    def select_locale():
        if has_request_context() and request.path.startswith(API_PREFIX):
            code = api_locale()
        else:
            code = for_pages()
        return None if code is None else locale_of(code)

    babel.locale_selector = select_locale


@dataclass(frozen=True)
class Page:
    count: int
    page: int
    page_size: int
    result: list


def paginate(query, page, page_size):
    """Rows `page_size` at a time (pages count from 1), with the count of all of them."""
    count = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page(count, page, page_size, rows)


def sent_between(query, first=None, last=None):
    """Messages sent on local days `first`..`last` (either may be open), the same
    window as the report's (`Period`)."""
    start, end = Period(first, last).utc_bounds()
    if first is not None:
        query = query.where(Message.created_at >= start)
    if last is not None:
        query = query.where(Message.created_at < end)
    return query

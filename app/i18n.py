"""Indonesian first: the page's language for templates, and for WTForms' messages.

The language of a request is chosen by Flask-AppBuilder (`?_l_=<code>`, then the
choice kept in the session by `/lang/<code>`, then `BABEL_DEFAULT_LOCALE`). The
catalogs are in `translations/`; see `tools/translations.py` to update them.
"""

from babel import Locale
from babel.dates import get_day_names, get_month_names
from flask import current_app, g, request, session
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _

# Where the catalogue of the request's locale is kept, beside Flask-Babel's own state.
_KEPT = "aspirasi_translations"


def _babel_state():
    try:
        return g.get("_flask_babel")
    except RuntimeError:  # no app context
        return None


def _kept(babel, domain):
    """The catalogue kept for the current locale and `domain`, or None. Flask-Babel's
    `refresh()` and `force_locale()` (emails drawn in their reader's language) put
    another locale object in place, which then finds its own catalogue."""
    kept = getattr(babel, _KEPT, None)
    if kept is not None and kept[0] is not None \
            and kept[0] is getattr(babel, "babel_locale", None) and kept[1] is domain:
        return kept[2]
    return None


def _keep(domain, translations):
    babel = _babel_state()
    if babel is not None:
        setattr(babel, _KEPT, (getattr(babel, "babel_locale", None), domain, translations))
    return translations


def request_translations():
    """What `flask_babel.get_translations()` gives, found in a single lookup once a
    request has asked for it (a page asks for dozens of strings)."""
    babel = _babel_state()
    if babel is not None:
        found = _kept(babel, getattr(babel, "babel_domain", None))
        if found is not None:
            return found
    return get_translations()


def _remembering(domain):
    """`domain.get_translations`, remembering its answer for the request's locale:
    Flask-Babel looks the catalogue up anew for every string (lazy ones included)."""
    original = domain.get_translations

    def get_translations_of_the_request():
        babel = _babel_state()
        if babel is not None:
            found = _kept(babel, domain)
            if found is not None:
                return found
        return _keep(domain, original())

    return get_translations_of_the_request


class _CatalogForWTForms:
    """WTForms' own messages ("This field is required.") looked up in our catalog.

    Flask-WTF reads them from WTForms' catalogs, which have no Indonesian; our
    catalog holds them (the tool extracts WTForms too), so answer from it.
    """

    def ugettext(self, string):
        return get_translations().ugettext(string)

    def ungettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


_wtforms_catalog = _CatalogForWTForms()


def language_chosen():
    """What the language of a page is chosen from, besides its address (which carries
    `?_l_=`): the choice kept in the session, else the default (which Flask-AppBuilder
    then keeps there). Cheaper than choosing it, for a key."""
    return session.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]


def page_language():
    """The code for `<html lang="...">` and `Content-Language`: `id` or `en`."""
    locale = get_locale()
    return str(locale) if locale else "id"


def datepicker_texts():
    """Month and day names for bootstrap-datepicker (bundled by FAB), from Babel."""
    locale = page_language()

    def days(width):
        names = get_day_names(width, locale=locale)  # 0 is Monday
        return [names[(i + 6) % 7] for i in range(7)]  # the widget starts on Sunday

    def months(width):
        names = get_month_names(width, locale=locale)
        return [names[i] for i in range(1, 13)]

    return {
        "days": days("wide"),
        "daysShort": days("abbreviated"),
        "daysMin": days("short"),
        "months": months("wide"),
        "monthsShort": months("abbreviated"),
        "today": _("Today"),
        "clear": _("Clear"),
        "weekStart": (Locale.parse(locale).first_week_day + 1) % 7,
    }


def register(app):
    domain = app.extensions["babel"].instance.domain_instance
    if not getattr(domain, "aspirasi_remembers", False):
        domain.get_translations = _remembering(domain)
        domain.aspirasi_remembers = True
    app.jinja_env.globals.update(
        get_locale=get_locale, page_language=page_language, datepicker_texts=datepicker_texts,
    )

    @app.before_request
    def _wtforms_in_the_page_language():
        # Flask-WTF caches its translations on the request under this name.
        request.wtforms_translations = _wtforms_catalog


def yes_no(value):
    """A boolean column as "Ya"/"Tidak" instead of FAB's raw `True`/`False`."""
    return _("Yes") if value else _("No")


def or_dash(value):
    """An empty column as a dash instead of FAB's raw `None`."""
    return "—" if value in (None, "") else value


_LOCALES = {}


def locale_of(code):
    """Babel's `Locale` for a language code, made once per process: Flask-Babel parses
    the selector's answer on every request, and a Locale passes through as it is."""
    locale = _LOCALES.get(code)
    if locale is None:
        locale = _LOCALES[code] = Locale.parse(code)
    return locale

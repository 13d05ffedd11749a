"""Cheap versions of the template helpers every page calls dozens of times.

- `gettext` / `_` / `ngettext`: Flask-Babel finds the request's catalogue through
  half a dozen context lookups and a locale-to-text conversion for every string,
  and a page has twenty or more. Here the catalogue is kept for the request's locale
  object: `flask_babel.refresh()` and `force_locale()` (emails drawn in their
  reader's language) put a new locale object in place, which finds its own. The
  output is Jinja's own new-style gettext: escaped, `%(name)s` filled in.
- `url_for` of a page or static file that takes no other argument (menu links,
  hashed static names, the language switch) gives the same path on every request
  of a process, whose URL map and static manifest are fixed at start-up: kept per
  script root. Anything else goes to Flask's `url_for` as before.
"""

from flask import g, has_request_context, request, url_for
from flask_babel import get_translations
from jinja2 import pass_context
from markupsafe import Markup

# The only arguments whose values are few and fixed (static file names, language codes).
_KEPT_ARGUMENTS = frozenset({"filename", "locale"})
_URL_LIMIT = 2000


def request_translations():
    """The catalogue of the current request's locale (what `get_translations()` gives)."""
    try:
        babel = g.get("_flask_babel")
    except RuntimeError:  # no app context: Flask-Babel answers with no translation
        return get_translations()
    locale = getattr(babel, "babel_locale", None)
    kept = getattr(babel, "aspirasi_translations", None)
    if locale is not None and kept is not None and kept[0] is locale \
            and kept[1] is getattr(babel, "babel_domain", None):
        return kept[2]
    translations = get_translations()
    babel = g._flask_babel
    babel.aspirasi_translations = (getattr(babel, "babel_locale", None),
                                   getattr(babel, "babel_domain", None), translations)
    return translations


@pass_context
def template_gettext(context, string, **variables):
    text = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalogue, as Jinja's own gettext does)
    # As Jinja's new-style gettext: `%` formatting (which also turns "%%" into "%").
    return text % variables if variables or "%" in text else text


@pass_context
def template_ngettext(context, singular, plural, number, **variables):
    variables.setdefault("num", number)
    text = request_translations().ungettext(singular, plural, number)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalogue, as Jinja's own gettext does)
    return text % variables


def url_for_of(urls):
    """`url_for` for templates, keeping in `urls` the paths that never change."""

    def template_url_for(endpoint, **values):
        if (endpoint[:1] == "." or not has_request_context()
                or not values.keys() <= _KEPT_ARGUMENTS
                or not all(type(value) is str for value in values.values())):
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        url = urls.get(key)
        if url is None:
            url = url_for(endpoint, **values)
            if len(urls) < _URL_LIMIT:
                urls[key] = url
        return url

    return template_url_for


def register(app):
    """After Flask-Babel (bound by Flask-AppBuilder) installed its callables."""
    app.jinja_env.globals.update(
        gettext=template_gettext, _=template_gettext, ngettext=template_ngettext,
        url_for=url_for_of({}),
    )

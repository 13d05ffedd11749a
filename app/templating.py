"""Cheap versions of the template helpers every page calls dozens of times.

- `gettext` / `_` / `ngettext`: the request's catalogue straight from
  `i18n.request_translations()` (no per-string context lookups); the output is
  Jinja's own new-style gettext: escaped, `%(name)s` filled in.
- `url_for` of a page or static file that takes no other argument (menu links,
  hashed static names, the language switch) gives the same path on every request
  of a process, whose URL map and static manifest are fixed at start-up: kept per
  script root. Anything else goes to Flask's `url_for` as before.
- `fresh_form_fields`: the fields of a form as a GET shows it (nothing typed, no
  error) are the same for everyone of a language: drawn once per process.
"""

from flask import has_request_context, request, url_for
from jinja2 import pass_context
from markupsafe import Markup

from .i18n import page_language, request_translations

# The only arguments whose values are few and fixed (static file names, language codes).
_KEPT_ARGUMENTS = frozenset({"filename", "locale"})
_URL_LIMIT = 2000


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
        url_for=url_for_of({}), fresh_form_fields=fields_of_a_fresh_form_of({}),
    )


def _untouched(form):
    """Whether `form` is as a GET shows it: not sent, no errors, every field empty."""
    if form.is_submitted():
        return False
    return all(not field.errors and field.data in _EMPTY for field in form
               if field.type not in ("CSRFTokenField", "HiddenField"))


_EMPTY = (None, "", False, [])


def fields_of_a_fresh_form_of(drawn):
    """`fresh_form_fields(form, name, *key)`: a `{% call %}` block drawing the fields of
    a form. While the form is untouched (a GET: nothing typed, no error), what the block
    draws depends only on the language and on `key` (the values it shows besides the
    form's), so it is drawn once per process and kept in `drawn`; a form sent back (with
    what was typed or its errors) is always drawn anew. Hidden fields (the CSRF token,
    one-time keys) are not kept: draw them outside the block."""

    def fresh_form_fields(form, name, *key, caller):
        if not _untouched(form):
            return caller()
        cache_key = (name, page_language(), *key)
        html = drawn.get(cache_key)
        if html is None:
            html = caller()
            if len(drawn) < _URL_LIMIT:
                drawn[cache_key] = html
        return html

    return fresh_form_fields

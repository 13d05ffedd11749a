"""Template filters: dates the Indonesian way, in the province's time zone."""

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, get_group_symbol
from flask_babel import get_locale

from .timeutil import to_local

# Indonesia's zones have names everyone uses; elsewhere fall back to the offset name.
_ZONE_NAMES = {"Asia/Makassar": "WITA", "Asia/Jakarta": "WIB", "Asia/Jayapura": "WIT"}


def _locale():
    return str(get_locale() or "id")


def zone_name(value):
    key = getattr(value.tzinfo, "key", None)
    return _ZONE_NAMES.get(key) or value.tzname()


class _Words:
    """What the filters need of a locale, looked up in Babel once per process: lists
    show dozens of dates and figures, and Babel parses its patterns on every call."""

    def __init__(self, locale):
        self.months = get_month_names("wide", context="format", locale=locale)
        self.time_separator = "." if locale.startswith("id") else ":"
        # Whole numbers are grouped by thousands (`#,##0`) with this symbol.
        grouping = Locale.parse(locale).decimal_formats[None].grouping
        self.group = get_group_symbol(locale=locale) if grouping == (3, 3) else None


_WORDS = {}


def _words(locale):
    words = _WORDS.get(locale)
    if words is None:
        words = _WORDS[locale] = _Words(locale)
    return words


def format_local_datetime(value, locale=None):
    """`29 November 2026 18.05 WITA` (id) or `29 November 2026 18:05 WITA` (en):
    Babel's `d MMMM yyyy HH.mm` (`HH:mm` in English), written out directly."""
    if value is None:
        return ""
    local = to_local(value)
    words = _words(locale or _locale())
    return (f"{local.day} {words.months[local.month]} {local.year:04d} "
            f"{local.hour:02d}{words.time_separator}{local.minute:02d} {zone_name(local)}")


def format_local_date(value, locale=None):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = to_local(value).date()
    return format_date(value, "d MMMM yyyy", locale=locale or _locale())


def format_number(value, locale=None):
    """1234 as `1.234` (id) or `1,234` (en)."""
    locale = locale or _locale()
    if type(value) is int and value >= 0:
        group = _words(locale).group
        if group is not None:
            return f"{value:,}".replace(",", group)
    return format_decimal(value, locale=locale)


def format_one_decimal(value, locale=None):
    """4.25 as `4,3` (id) or `4.3` (en)."""
    return format_decimal(round(value, 1), format="#,##0.0", locale=locale or _locale())


_SIZE_UNITS = ("KB", "MB", "GB")


def format_file_size(size, locale=None):
    """`100 B`, `1,5 KB`, `2,3 MB`: never "0 KB" for a small file."""
    locale = locale or _locale()
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in _SIZE_UNITS:
        value /= 1024
        if value < 1024 or unit == _SIZE_UNITS[-1]:
            return f"{format_decimal(value, format='#,##0.#', locale=locale)} {unit}"


def register(app):
    app.add_template_filter(format_local_datetime, "localdt")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_one_decimal, "decimal")
    app.add_template_filter(format_file_size, "filesize")
    app.add_template_filter(format_local_date, "localdate")

    @app.context_processor
    def template_helpers():
        # Lets shared templates link to a page only when that page exists.
        return {"has_endpoint": lambda name: name in app.view_functions}

    def is_menu_visible(item):
        # FAB's navbar filter ignores a menu item's `cond`; honour it as its menu API does.
        return item.should_render() and app.appbuilder.sm.has_access("menu_access", item.name)

    app.jinja_env.filters["is_menu_visible"] = is_menu_visible

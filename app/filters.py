"""Template filters: dates the Indonesian way, in the province's time zone."""

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask_babel import get_locale

from .timeutil import to_local

# Indonesia's zones have names everyone uses; elsewhere fall back to the offset name.
_ZONE_NAMES = {"Asia/Makassar": "WITA", "Asia/Jakarta": "WIB", "Asia/Jayapura": "WIT"}


def _locale():
    return str(get_locale() or "id")


def zone_name(value):
    key = getattr(value.tzinfo, "key", None)
    return _ZONE_NAMES.get(key) or value.tzname()


def format_local_datetime(value, locale=None):
    """`29 November 2026 18.05 WITA` (id) or `29 November 2026 18:05 WITA` (en)."""
    if value is None:
        return ""
    local = to_local(value)
    locale = locale or _locale()
    time_pattern = "HH.mm" if locale.startswith("id") else "HH:mm"
    text = format_datetime(local, f"d MMMM yyyy {time_pattern}", locale=locale)
    return f"{text} {zone_name(local)}"


def format_local_date(value, locale=None):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = to_local(value).date()
    return format_date(value, "d MMMM yyyy", locale=locale or _locale())


def format_number(value, locale=None):
    """1234 as `1.234` (id) or `1,234` (en)."""
    return format_decimal(value, locale=locale or _locale())


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

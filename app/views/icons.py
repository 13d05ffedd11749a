"""Inline SVG icons, drawn for this app (no icon font to download). Decorative: the
text beside each icon says what it means, so they are hidden from screen readers.

A Python function, not a template macro: pages draw a dozen of them per request.
"""

from functools import lru_cache

from markupsafe import Markup

PATHS = {
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "inbox": '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M3 7l9 6 9-6"/>',
    "send": '<path d="M3 11l18-8-8 18-2-8z"/><path d="M11 13l10-10"/>',
    "back": '<path d="M10 6l-6 6 6 6M4 12h16"/>',
    "clip": '<path d="M20 11l-8 8a5 5 0 0 1-7-7l8-8a3 3 0 0 1 4 4l-8 8a1 1 0 0 1-2-2l7-7"/>',
    "lock": '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
    "check": '<path d="M5 12l5 5L20 7"/>',
    "undo": '<path d="M9 14L4 9l5-5"/><path d="M4 9h11a5 5 0 0 1 0 10h-3"/>',
    "chart": '<path d="M4 20V11M10 20V5M16 20v-6M2 20h20"/>',
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h14V10"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "login": '<path d="M15 3h4v18h-4"/><path d="M10 17l5-5-5-5M15 12H3"/>',
    "logout": '<path d="M9 21H5V3h4"/><path d="M16 17l5-5-5-5M21 12H9"/>',
    "register": '<circle cx="10" cy="8" r="4"/><path d="M2 21a8 8 0 0 1 13-6M19 14v6M16 17h6"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/>',
    "star": '<path d="M12 3l2.8 5.8 6.2.8-4.5 4.3 1.1 6.1L12 17l-5.6 3 1.1-6.1L3 9.6l6.2-.8z"/>',
}


@lru_cache(maxsize=64)
def icon(name, filled=False):
    """The icon `name` as inline SVG (`filled`: painted, e.g. a given star)."""
    return Markup(  # noqa: S704 (constant SVG of this module, no input)
        '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" '
        f'fill="{"currentColor" if filled else "none"}" stroke="currentColor" '
        'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
        f"{PATHS[name]}</svg>"
    )

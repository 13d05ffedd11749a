"""Which layout a page is drawn in, and the lean layout's menu.

Visitors and citizens get the lean layout (templates/lean/base.html): small, fast,
no jQuery or icon font. Signed-in staff keep Flask-AppBuilder's layout and its menu.
Pages both see (profile, error pages) extend `page_layout()`.
"""

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import gettext as _

from ..i18n import page_language
from ..policy import is_citizen, is_staff
from .icons import icon

LEAN = "lean/base.html"
FAB = "appbuilder/base.html"


def _user():
    user = getattr(g, "user", None)  # unset when an error page is drawn very early
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def uses_lean_layout(user=None):
    user = _user() if user is None else user
    return not is_staff(user)


def page_layout():
    return LEAN if uses_lean_layout() else FAB


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: str
    icon: str
    url: str

    @property
    def current(self):
        return request.endpoint == self.endpoint


@dataclass(frozen=True)
class Menu:
    links: tuple
    logout: str | None


def _menu_kind(user):
    if user is None:
        return "visitor"
    if user.email_verified_at is None:
        return "unverified"  # only the notice is open to them
    return "citizen" if is_citizen(user) else "signed-in"


def lean_menu():
    """The links a visitor, a citizen (verified or not) or a staff member sees here.
    The same for everyone of a kind and language: made once per process."""
    kind = _menu_kind(_user())
    key = (kind, page_language(), request.script_root)
    menus = current_app.extensions.setdefault("aspirasi_lean_menus", {})
    menu = menus.get(key)
    if menu is None:
        menu = menus[key] = _make_menu(kind)
    return menu


def _make_menu(kind):
    appbuilder = current_app.appbuilder
    logout = url_for(appbuilder.sm.auth_view.endpoint + ".logout")
    if kind == "unverified":
        return Menu((), logout)
    items = [("HomeView.index", _("Home"), "home")]
    if kind == "citizen":
        items += [("CitizenView.add", _("Send a message"), "plus"),
                  ("CitizenView.list", _("My messages"), "inbox")]
    items.append(("PublicStatsView.show", _("Statistics"), "chart"))
    if kind == "visitor":
        items += [(appbuilder.sm.auth_view.endpoint + ".login", _("Login"), "login"),
                  ("AccountView.register", _("Register"), "register")]
    else:
        items.append(("ProfileView.show", _("Profile"), "user"))
    links = tuple(Link(endpoint, label, name, url_for(endpoint))
                  for endpoint, label, name in items)
    return Menu(links, None if kind == "visitor" else logout)


def register(app):
    app.jinja_env.globals.update(page_layout=page_layout, lean_menu=lean_menu, icon=icon)

"""Which layout a page is drawn in, and the lean layout's menu.

Visitors and citizens get the lean layout (templates/lean/base.html): small, fast,
no jQuery or icon font. Signed-in staff keep Flask-AppBuilder's layout and its menu.
Pages both see (profile, error pages) extend `page_layout()`.
"""

from dataclasses import dataclass

from flask import current_app, g, request, url_for
from flask_babel import gettext as _

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

    @property
    def url(self):
        return url_for(self.endpoint)

    @property
    def current(self):
        return request.endpoint == self.endpoint


@dataclass(frozen=True)
class Menu:
    links: tuple
    logout: str | None


def lean_menu():
    """The links a visitor, a citizen (verified or not) or a staff member sees here."""
    user = _user()
    appbuilder = current_app.appbuilder
    if user is not None and user.email_verified_at is None:
        return Menu((), _logout_url(appbuilder))  # only the notice is open to them
    links = [Link("HomeView.index", _("Home"), "home")]
    if is_citizen(user):
        links += [Link("CitizenView.add", _("Send a message"), "plus"),
                  Link("CitizenView.list", _("My messages"), "inbox")]
    links.append(Link("PublicStatsView.show", _("Statistics"), "chart"))
    if user is None:
        links += [Link(appbuilder.sm.auth_view.endpoint + ".login", _("Login"), "login"),
                  Link("AccountView.register", _("Register"), "register")]
        return Menu(tuple(links), None)
    links.append(Link("ProfileView.show", _("Profile"), "user"))
    return Menu(tuple(links), _logout_url(appbuilder))


def _logout_url(appbuilder):
    return url_for(appbuilder.sm.auth_view.endpoint + ".logout")


def register(app):
    app.jinja_env.globals.update(page_layout=page_layout, lean_menu=lean_menu, icon=icon)

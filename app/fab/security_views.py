"""FAB's role and group views with every column label translated.

FAB labels some columns of these views from the column name ("Groups", "Users"),
outside gettext; these subclasses give those labels msgids so they get Indonesian.
They keep FAB's class names, hence FAB's endpoints, URLs and permission names.
"""

from flask_appbuilder.security import views as fab
from flask_appbuilder.widgets import ListWidget
from flask_babel import lazy_gettext as _l

from .model_views import UNUSED_ROUTES as _UNUSED_ROUTES
from .model_views import FormPagesMixin


class RoleModelView(fab.RoleModelView):
    """Read-only: what a role may do is declared in `app/policy.py` (checked at
    run time), so permissions edited here would be silently ignored."""

    exclude_route_methods = _UNUSED_ROUTES | {"add", "edit", "delete"}
    base_permissions = ["can_list", "can_show"]
    # FAB's role list leaves out the users of built-in roles (every role here is one)
    # and its checkboxes have no name; the plain list (our template) has neither fault.
    list_widget = ListWidget
    list_columns = show_columns = ["name", "user"]
    label_columns = {
        **fab.RoleModelView.label_columns,
        "user": _l("Users"),
        "groups": _l("Groups"),
    }


class UserGroupModelView(FormPagesMixin, fab.UserGroupModelView):
    exclude_route_methods = _UNUSED_ROUTES
    label_columns = {
        "name": _l("Name"),
        "label": _l("Label"),
        "description": _l("Description"),
        "users": _l("Users"),
        "roles": _l("Roles"),
    }



class ResetMyPasswordView(fab.ResetMyPasswordView):
    """FAB's own-password form, titled apart from the form for another user's."""

    form_title = _l("Change my password")


class ResetPasswordView(fab.ResetPasswordView):
    form_title = _l("Set a user's password")

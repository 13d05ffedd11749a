"""FAB's role and group views with every column label translated.

FAB labels some columns of these views from the column name ("Groups", "Users"),
outside gettext; these subclasses give those labels msgids so they get Indonesian.
They keep FAB's class names, hence FAB's endpoints, URLs and permission names.
"""

from flask_appbuilder.security import views as fab
from flask_babel import lazy_gettext as _l

from .model_views import FormPagesMixin

# `download/<filename>` serves any upload and `@action` routes skip row filters:
# none of the security screens needs them.
_UNUSED_ROUTES = {"download", "action", "action_post"}


class RoleModelView(fab.RoleModelView):
    """Read-only: what a role may do is declared in `app/policy.py` (checked at
    run time), so permissions edited here would be silently ignored."""

    exclude_route_methods = _UNUSED_ROUTES | {"add", "edit", "delete"}
    base_permissions = ["can_list", "can_show"]
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


"""Flask-AppBuilder's security manager, adapted to Aspirasi Etam."""

from types import SimpleNamespace

from flask_appbuilder.security.sqla.manager import SecurityManager

from ..models import AppUser
from . import fab_views
from .staff_views import StaffUserView


class AspirasiSecurityManager(SecurityManager):
    user_model = AppUser
    userdbmodelview = StaffUserView
    # FAB's own screens, with the column labels FAB leaves untranslated.
    rolemodelview = fab_views.RoleModelView
    groupmodelview = fab_views.UserGroupModelView
    # FAB's user-statistics chart draws with Google Charts from the internet (not
    # reachable on the intranet) and labels its columns outside gettext: left out.
    userstatschartview = None

    def load_user(self, pk):
        """Sessions carry "<id>:<auth_version>"; an old version means a password
        changed since this session began, so the session is over."""
        user_id, _, version = str(pk).partition(":")
        try:
            user = self.get_user_by_id(int(user_id))
        except (TypeError, ValueError):
            return None
        if user is None or not user.is_active:
            return None
        if version and version != str(user.auth_version or 1):
            return None
        return user

    def is_item_public(self, permission_name, view_name):
        # Public's grants are declared in config like every other role's.
        public = SimpleNamespace(name=self.auth_role_public)
        return self._has_access_builtin_roles(public, permission_name, view_name)

    def find_user(self, username=None, email=None):
        # Emails are the login name; compare them case-insensitively.
        if username:
            username = username.strip().lower()
        if email:
            email = email.strip().lower()
        return super().find_user(username=username, email=email)

    def sync_roles(self):
        """Create a row for each role of the matrix (grants live in config)."""
        for name in self.builtin_roles:
            if self.find_role(name) is None:
                self.add_role(name)

"""Flask-AppBuilder's security manager, adapted to Aspirasi Etam."""

from types import SimpleNamespace

from flask import current_app, g
from flask_appbuilder.security.sqla.manager import SecurityManager

from ..extensions import db
from ..inputs import parse_id
from ..models import AppUser
from ..timeutil import utcnow
from . import security_views
from .login import AspirasiAuthView
from .model_views import SafeInterface
from .staff_views import StaffUserView


class AspirasiSecurityManager(SecurityManager):
    user_model = AppUser
    userdbmodelview = StaffUserView
    # FAB's own screens, with the column labels FAB leaves untranslated.
    rolemodelview = security_views.RoleModelView
    groupmodelview = security_views.UserGroupModelView
    # FAB's user-statistics chart draws with Google Charts from the internet (not
    # reachable on the intranet) and labels its columns outside gettext: left out.
    userstatschartview = None
    authdbview = AspirasiAuthView

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        # FAB gives its views a plain interface here; ours turns database errors into
        # sentences (see model_views.SafeInterface).
        self.userdbmodelview.datamodel = SafeInterface(self.user_model)
        self.groupmodelview.datamodel = SafeInterface(self.group_model)

    def register_views(self):
        from ..accounts import gate
        from ..accounts.profile import ProfileView
        from ..accounts.views import AccountView

        super().register_views()
        self.appbuilder.add_view_no_menu(AccountView())
        self.appbuilder.add_view_no_menu(ProfileView())
        # Runs after FAB's own before_request (registered earlier), which sets g.user.
        gate.register(current_app)

    def update_user_auth_stat(self, user, success=True):
        super().update_user_auth_stat(user, success)
        if success:
            # FAB stamps local time; every timestamp here is naive UTC.
            user.last_login = utcnow()
            db.session.commit()

    def reset_password(self, userid, password):
        """FAB's reset views (Super Admin): also end that user's sessions."""
        from ..accounts.service import set_password

        # `userid` is FAB's `?pk=` argument, as typed in the address.
        user_id = parse_id(userid)
        user = self.get_user_by_id(user_id) if user_id else None
        if user is not None:
            set_password(user, password)
            db.session.commit()

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

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)

        @jwt_manager.additional_claims_loader
        def _auth_version_claim(identity):
            # Tokens carry the password generation, like sessions do (see load_user).
            try:
                user = self.get_user_by_id(int(identity))
            except (TypeError, ValueError):
                user = None
            return {"auth_version": (user.auth_version or 1) if user else 0}

        return jwt_manager

    def load_user_jwt(self, _jwt_header, jwt_data):
        """A token issued before the last password change is no longer valid."""
        version = jwt_data.get("auth_version")
        if version is None:
            return None
        user = self.load_user(f"{jwt_data['sub']}:{version}")
        if user is not None:
            g.user = user  # as FAB does: before_request ran before the token was read
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

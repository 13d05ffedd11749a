"""Flask-AppBuilder's security manager, adapted to Aspirasi Etam."""

import logging
import secrets
from types import SimpleNamespace

from flask import current_app, g, request
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.utils import is_null_password
from flask_login import current_user
from sqlalchemy import Integer, func, literal, select, update
from werkzeug.security import check_password_hash

from ..accounts import known_users, sessions, throttle
from ..accounts.service import find_by_email, hash_password, normalise_email
from ..extensions import db
from ..inputs import parse_id
from ..models import AppUser
from ..policy import roles_in_the_same_query
from ..timeutil import utcnow
from . import security_views
from .login import AspirasiAuthView
from .model_views import SafeInterface
from .staff_views import StaffUserView
from .token_login import AspirasiSecurityApi

log = logging.getLogger(__name__)


class AspirasiSecurityManager(SecurityManager):
    user_model = AppUser
    userdbmodelview = StaffUserView
    # FAB's own screens, with the column labels FAB leaves untranslated.
    rolemodelview = security_views.RoleModelView
    groupmodelview = security_views.UserGroupModelView
    resetmypasswordview = security_views.ResetMyPasswordView
    resetpasswordview = security_views.ResetPasswordView
    # FAB's user-statistics chart draws with Google Charts from the internet (not
    # reachable on the intranet) and labels its columns outside gettext: left out.
    userstatschartview = None
    authdbview = AspirasiAuthView
    security_api = AspirasiSecurityApi

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        # FAB gives its views a plain interface here; ours turns database errors into
        # sentences (see model_views.SafeInterface).
        self.userdbmodelview.datamodel = SafeInterface(self.user_model)
        self.groupmodelview.datamodel = SafeInterface(self.group_model)

    @staticmethod
    def before_request():
        """As FAB's, but `g.user` is the user object itself rather than Flask-Login's
        proxy, which looks the user up again on every attribute read (a dozen times
        per page). Signing in or out during a request sets it again (accounts.sessions)."""
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "aspirasi_kept_page", False):
            known_users.attach_later()  # a kept page needs no database session
        g.user = current_user._get_current_object()

    def _get_safe_user(self, user):
        """FAB re-reads a detached user before checking a permission. The user a kept
        page's request read and left out of the session (`known_users.attach_later`)
        is current (read this very request) and has its roles loaded: checked as is."""
        if user is not None and known_users.waiting(user):
            return user
        return super()._get_safe_user(user)

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

    def auth_user_db(self, username, password):
        """The password check of both logins, the web page and the API's token login
        (whose callers ask `throttle.check_login` first). An unknown email, an inactive
        account and a wrong password cost the same: one query, one hash check of the
        configured kind, one UPDATE and commit, and the same throttle bookkeeping, so
        the time taken does not tell whether an account exists."""
        account = normalise_email(username)
        user = find_by_email(account) if account else None
        usable = user is not None and user.is_active and bool(user.password)
        matches = check_password_hash(user.password if usable else self._decoy_hash(),
                                      password or "")
        if usable and matches and not is_null_password(password):
            self.update_user_auth_stat(user, True)
            throttle.login_succeeded(account)
            return user
        # The same statement and a real write either way (an UPDATE matching no row
        # would skip the disk): an unknown email rewrites the first account's count
        # unchanged.
        known = user is not None
        first_account = select(func.min(AppUser.id)).scalar_subquery()
        target = func.coalesce(literal(user.id if known else None, Integer), first_account)
        db.session.execute(update(AppUser).where(AppUser.id == target).values(
            fail_login_count=func.coalesce(AppUser.fail_login_count, 0)
            + literal(1 if known else 0, Integer)))
        db.session.commit()
        throttle.login_failed(account)
        log.info("Failed login for %r", account)
        return None

    def _decoy_hash(self):
        """A hash of the configured kind and cost, checked when there is no account."""
        method = current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
        decoys = current_app.extensions.setdefault("aspirasi_decoy_hashes", {})
        if method not in decoys:
            decoys[method] = hash_password(secrets.token_hex(16))
        return decoys[method]

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
        """The user of a browser session, while the server still holds that session
        (app/accounts/sessions.py: logout, password change, timeouts end it)."""
        user_id, _, version = str(pk).partition(":")
        user_id = parse_id(user_id)
        return sessions.signed_in_user(user_id, version) if user_id else None

    def _user_at_version(self, pk):
        """Sessions and tokens carry "<id>:<auth_version>"; an old version means a
        password changed since they were issued, so they are over."""
        user_id, _, version = str(pk).partition(":")
        try:
            # With its roles in the same query: every page asks for them.
            user = db.session.get(AppUser, int(user_id), options=roles_in_the_same_query())
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
        user = self._user_at_version(f"{jwt_data['sub']}:{version}")
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

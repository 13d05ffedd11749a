"""FAB's token login (POST /api/v1/security/login) behind the login throttle that the
web login uses: the same counts per account and address, the same 429."""

from flask import request
from flask_appbuilder.api import safe
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.views import expose
from flask_babel import gettext as _

from ..accounts import throttle
from ..accounts.service import normalise_email


class AspirasiSecurityApi(SecurityApi):
    @expose("/login", methods=["POST"])
    @safe
    def login(self):
        body = request.get_json(silent=True) if request.is_json else None
        username = body.get("username") if isinstance(body, dict) else None
        try:
            throttle.check_login(normalise_email(username if isinstance(username, str)
                                                 else None))
        except throttle.TooManyAttempts as refused:
            response = self.response(
                429, message=_("Too many attempts. Please wait a moment and try again."))
            response.headers["Retry-After"] = str(refused.seconds)
            return response
        # FAB's own login, which calls the security manager's auth_user_db.
        return super().login()

    login.__doc__ = SecurityApi.login.__doc__  # FAB's OpenAPI text for the operation

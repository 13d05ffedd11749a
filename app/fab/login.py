"""The login page: FAB's route and form field names, our rules.

Generic error message, limits per IP and per account, a brand-new session at login,
`next` restricted to this app's own pages.
"""

from flask import abort, g, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.views import AuthDBView
from flask_babel import lazy_gettext as _l

from ..accounts import throttle
from ..accounts.forms import LoginForm
from ..accounts.service import normalise_email
from ..accounts.sessions import start_session


class AspirasiAuthView(AuthDBView):
    login_template = "account/login.html"
    title = _l("Sign in")
    # One message for a wrong password, an unknown email and a disabled account.
    invalid_login_message = _l("The email or password is not correct.")

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self):
        next_url = self._get_safe_next_url()
        if g.user is not None and g.user.is_authenticated:
            return redirect(next_url)
        form = LoginForm()
        error = None
        if request.method == "POST":
            throttle.enforce("login-ip", "LOGIN_IP_LIMIT", throttle.client_ip())
            account = normalise_email(form.username.data)
            if not throttle.allows("login-account", "LOGIN_ACCOUNT_LIMIT", account):
                abort(429)
            # An empty field is answered on the field ("enter your password"), not
            # with "wrong password".
            if form.validate_on_submit():
                user = self.appbuilder.sm.auth_user_db(account, form.password.data)
                if user is not None:
                    start_session(user)
                    return redirect(next_url)
                # Only failures count against the account, so its owner is not locked
                # out by their own successful logins.
                throttle.hit("login-account", "LOGIN_ACCOUNT_LIMIT", account)
                error = self.invalid_login_message
        return self.render_template(
            self.login_template, title=self.title, form=form, error=error,
            appbuilder=self.appbuilder,
        )

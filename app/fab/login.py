"""The login page: FAB's route and form field names, our rules.

Generic error message, the login throttle, a brand-new server-side session at login,
`next` restricted to this app's own pages; logout only by a POST carrying the CSRF
token (a link from another site, a prefetch or a HEAD request signs nobody out).
"""

from flask import current_app, g, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.views import AuthDBView
from flask_babel import lazy_gettext as _l

from ..accounts import throttle
from ..accounts.forms import LoginForm
from ..accounts.service import normalise_email
from ..accounts.sessions import end_session, start_session


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
            # The throttle the token login shares (README, "Signing in").
            throttle.check_login(normalise_email(form.username.data))
            # An empty field is answered on the field ("enter your password"), not
            # with "wrong password".
            if form.validate_on_submit():
                user = self.appbuilder.sm.auth_user_db(form.username.data,
                                                       form.password.data)
                if user is not None:
                    start_session(user)
                    return redirect(next_url)
                error = self.invalid_login_message
        return self.render_template(
            self.login_template, title=self.title, form=form, error=error,
            appbuilder=self.appbuilder,
        )

    @expose("/logout/", methods=["POST"])
    def logout(self):
        user = self._get_authenticated_user()
        end_session()
        if user is not None:
            self.appbuilder.sm.on_user_logout(user)
        return redirect(current_app.config.get("LOGOUT_REDIRECT_URL",
                                               self.appbuilder.get_url_for_index))

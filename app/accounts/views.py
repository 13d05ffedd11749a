"""A citizen's account pages: register, verify the email, forgotten password.

Public pages (no FAB permission): a stranger must be able to reach them. None of
them tells whether an email has an account.
"""

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import no_cache
from flask_babel import get_locale
from flask_babel import gettext as _

from ..tasks import REGISTER_CITIZEN, REQUEST_PASSWORD_RESET, enqueue
from . import citizens as citizen_accounts
from . import throttle
from .forms import ConfirmForm, EmailForm, NewPasswordForm, RegisterForm
from .service import AccountError, hash_password, normalise_email
from .sessions import renew_session
from .tokens import TokenError


def _queued(form, task, *args):
    """Queue a background task; if the queue is unreachable, say so on the form."""
    try:
        enqueue(task, *args)
    except Exception:  # the broker is down: the person can try again shortly
        current_app.logger.exception("Could not queue %s", task)
        form.form_errors.append(_("We could not take your request just now. "
                                  "Please try again in a few minutes."))
        return False
    return True


def _signed_in():
    return g.user is not None and g.user.is_authenticated


def _login_url():
    return current_app.appbuilder.get_url_for_login


class AccountView(BaseView):
    route_base = "/account"
    default_view = "register"

    # Registration ---------------------------------------------------------

    @expose("/register", methods=["GET", "POST"])
    @no_cache
    def register(self):
        if _signed_in():
            return redirect(self.appbuilder.get_url_for_index)
        form = RegisterForm()
        if request.method == "POST":
            throttle.enforce("register", "REGISTER_LIMIT", throttle.client_ip())
            # The same work for a new and a known email: the account is made (or its
            # owner told) in the background, and the answer is the same.
            if form.validate_on_submit() and _queued(
                form, REGISTER_CITIZEN, form.full_name.data, normalise_email(form.email.data),
                hash_password(form.password.data), form.phone.data,
                str(get_locale() or "") or None,
            ):
                return redirect(url_for(".check_email", sent="verify"))
        return self.render_template("account/register.html", form=form,
                                    title=_("Create an account"))

    @expose("/check-email")
    def check_email(self):
        """What everyone sees after registering or asking for a reset, account or not."""
        sent = request.args.get("sent")
        if sent not in ("verify", "reset"):
            abort(404)
        return self.render_template("account/check_email.html", sent=sent,
                                    title=_("Check your email"))

    # Email verification ---------------------------------------------------

    @expose("/verify/<token>", methods=["GET", "POST"])
    @no_cache
    def verify(self, token):
        # A GET only shows a button: mail scanners that open links must not spend them.
        try:
            user = citizen_accounts.user_for_verify_token(token)
        except TokenError as error:
            return self._bad_link(error, kind="verify")
        form = ConfirmForm()
        if form.validate_on_submit():
            citizen_accounts.confirm_email(user)
            flash(_("Thank you, your email address is verified."), "success")
            if _signed_in() and g.user.id == user.id:
                return redirect(self.appbuilder.get_url_for_index)
            return redirect(_login_url())
        return self.render_template("account/verify_confirm.html", form=form, user=user,
                                    title=_("Verify your email"))

    @expose("/verify-notice")
    @no_cache
    def verify_notice(self):
        if not _signed_in():
            return redirect(_login_url())
        if g.user.email_verified_at is not None:
            return redirect(self.appbuilder.get_url_for_index)
        return self.render_template("account/verify_notice.html", form=ConfirmForm(),
                                    title=_("Please verify your email"))

    @expose("/resend", methods=["POST"])
    def resend(self):
        if not _signed_in():
            return redirect(_login_url())
        form = ConfirmForm()
        if form.validate_on_submit():
            throttle.enforce("resend", "RESEND_LIMIT", g.user.id)
            if citizen_accounts.resend_verification(g.user):
                flash(_("We sent you a new verification link."), "success")
        return redirect(url_for(".verify_notice"))

    # Forgotten password ---------------------------------------------------

    @expose("/forgot-password", methods=["GET", "POST"])
    @no_cache
    def forgot_password(self):
        form = EmailForm()
        if request.method == "POST":
            throttle.enforce("reset-ip", "RESET_LIMIT", throttle.client_ip())
            if form.validate_on_submit():
                email = normalise_email(form.email.data)
                throttle.enforce("reset-account", "RESET_LIMIT", email)
                if _queued(form, REQUEST_PASSWORD_RESET, email):
                    return redirect(url_for(".check_email", sent="reset"))
        return self.render_template("account/forgot_password.html", form=form,
                                    title=_("Forgot your password?"))

    @expose("/reset-password/<token>", methods=["GET", "POST"])
    @no_cache
    def reset_password(self, token):
        try:
            user = citizen_accounts.user_for_reset_token(token)
        except TokenError as error:
            return self._bad_link(error, kind="reset")
        form = NewPasswordForm(person=user)
        if form.validate_on_submit():
            try:
                citizen_accounts.reset_password(user, form.password.data)
            except AccountError as error:
                form.password.errors.append(str(error))
            else:
                if _signed_in() and g.user.id == user.id:
                    renew_session(user)
                    flash(_("Your password has been changed."), "success")
                    return redirect(self.appbuilder.get_url_for_index)
                flash(_("Your password has been changed. You can sign in with it now."),
                      "success")
                return redirect(_login_url())
        return self.render_template("account/reset_password.html", form=form,
                                    title=_("Choose a new password"))

    def _bad_link(self, error, kind):
        if error.expired:
            message = _("This link has expired.")
        else:
            message = _("This link is not valid or has already been used.")
        title = (_("Password reset link not valid") if kind == "reset"
                 else _("Verification link not valid"))
        page = self.render_template("account/bad_link.html", message=message, kind=kind,
                                    title=title)
        return page, 400

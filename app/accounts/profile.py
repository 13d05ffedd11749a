"""My profile: the signed-in person's own data, taken from the session, never the URL."""

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import no_cache
from flask_babel import gettext as _

from ..extensions import csrf_checked_by_form
from . import throttle
from .forms import ChangePasswordForm, ProfileForm
from .service import AccountError, change_password, update_profile
from .sessions import renew_session


def _me():
    # g.user is Flask-Login's proxy; the session helpers need the object itself.
    user = g.user
    return user._get_current_object() if hasattr(user, "_get_current_object") else user


def _refused_or(page, form):
    """A form sent and refused (a field, or its expired token) answers 400."""
    return (page, 400) if form.is_submitted() else page


class ProfileView(BaseView):
    route_base = "/profile"
    default_view = "show"
    base_permissions = ["can_show", "can_edit", "can_password"]

    @expose("/")
    @has_access
    def show(self):
        return self.render_template("profile/show.html", user=_me(), title=_("My profile"))

    @expose("/edit", methods=["GET", "POST"])
    @has_access
    @no_cache
    @csrf_checked_by_form  # an expired form comes back as typed, with a fresh token
    def edit(self):
        user = _me()
        form = ProfileForm(obj=user) if request.method == "GET" else ProfileForm()
        if form.validate_on_submit():
            try:
                update_profile(user, full_name=form.full_name.data, phone=form.phone.data)
            except AccountError as error:
                form.full_name.errors.append(str(error))
            else:
                flash(_("Your profile has been saved."), "success")
                return redirect(url_for(".show"))
        page = self.render_template("profile/edit.html", form=form, user=user,
                                    title=_("Edit my profile"))
        return _refused_or(page, form)

    @expose("/password", methods=["GET", "POST"])
    @has_access
    @no_cache
    @csrf_checked_by_form
    def password(self):
        user = _me()
        form = ChangePasswordForm(person=user)
        if form.validate_on_submit():
            # Wrong current passwords count like failed logins of this account.
            throttle.check_login(user.email)
            try:
                change_password(user, form.current_password.data, form.password.data)
            except AccountError as error:
                throttle.login_failed(user.email)
                form.current_password.errors.append(str(error))
            else:
                renew_session(user)
                flash(_("Your password has been changed. Your other sessions have ended."),
                      "success")
                return redirect(url_for(".show"))
        page = self.render_template("profile/password.html", form=form,
                                    title=_("Change my password"))
        return _refused_or(page, form)

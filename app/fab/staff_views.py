"""The Super Admin's user views: FAB's, extended with name, phone and OPD."""

from flask import abort, current_app, g, request
from flask_appbuilder import expose
from flask_appbuilder.fields import QuerySelectField, QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import (
    BS3PasswordFieldWidget,
    Select2ManyWidget,
    Select2Widget,
)
from flask_appbuilder.security.views import UserDBModelView
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from ..accounts.passwords import personal_problem
from ..extensions import db
from ..filters import format_local_datetime
from ..i18n import or_dash, yes_no
from ..models import AppUser, Opd
from ..policy import ACCOUNT_ROLES, requires_opd
from ..timeutil import utcnow
from .model_views import FormPagesMixin, unique_ignoring_case


def _editing_self():
    pk = (request.view_args or {}).get("pk")
    return pk is not None and g.user is not None and str(pk) == str(g.user.id)


def _local_time(value):
    return or_dash(format_local_datetime(value))


def _role_names(roles):
    return ", ".join(role.name for role in roles) or "—"


def opd_matches_roles(form, field):
    """An Operator belongs to exactly one OPD; nobody else belongs to any."""
    needs_opd = requires_opd(role.name for role in (form.roles.data or []))
    if needs_opd and field.data is None:
        raise StopValidation(_l("An Operator must belong to an OPD."))
    if not needs_opd and field.data is not None:
        raise StopValidation(_l("Only an Operator can belong to an OPD."))
    if _editing_self() and field.data != g.user.opd:
        raise StopValidation(_l("You cannot change your own OPD."))


def not_personal(form, field):
    """FAB's complexity hook sees the password alone; the email and name are here."""
    problem = personal_problem(field.data, email=form.email.data, name=form.full_name.data)
    if problem:
        raise ValidationError(problem)


def roles_not_own(form, field):
    if not field.data:
        raise ValidationError(_l("Choose a role."))
    if _editing_self() and set(field.data) != set(g.user.roles):
        raise ValidationError(_l("You cannot change your own role."))


def _active_opds():
    return db.session.scalars(select(Opd).where(Opd.active.is_(True)).order_by(Opd.name))


def _account_roles():
    """The roles an account can hold (not FAB's technical Public), in the policy's order."""
    role_model = current_app.appbuilder.sm.role_model
    found = db.session.scalars(select(role_model).where(role_model.name.in_(ACCOUNT_ROLES)))
    return sorted(found, key=lambda role: ACCOUNT_ROLES.index(role.name))


def _role_and_opd_fields():
    return {
        "roles": QuerySelectMultipleField(
            _l("Role"), query_func=_account_roles, get_pk_func=lambda role: role.id,
            widget=Select2ManyWidget(), validators=[roles_not_own],
            description=_l("Admins triage messages, Operators work for one OPD, Users are "
                           "citizens, Super Admins manage everything."),
        ),
        "opd": QuerySelectField(
            _l("OPD"), query_func=_active_opds, get_pk_func=lambda opd: opd.id,
            allow_blank=True, blank_text=_l("No OPD"), widget=Select2Widget(),
            validators=[opd_matches_roles],
            description=_l("Only an Operator belongs to an OPD, and to exactly one."),
        ),
    }


class StaffUserView(FormPagesMixin, UserDBModelView):
    # `action` carries the user page's buttons (reset password); `download` would
    # serve any uploaded file, and no list action exists for `action_post`.
    exclude_route_methods = {"download", "action_post"}

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name, pk):
        # FAB's version answers 500 for an unknown action name or user id.
        if name not in self.actions:
            abort(404)
        permission = self.get_action_permission_name(name)
        if self.appbuilder.sm.has_access(permission, self.class_permission_name):
            if self.datamodel.get(pk, self._base_filters) is None:
                abort(404)
        return super().action(name, pk)
    list_columns = ["full_name", "email", "roles", "opd", "active", "last_login"]
    search_columns = ["full_name", "email", "phone", "roles", "opd", "active"]
    add_columns = [
        "full_name", "email", "phone", "roles", "opd", "active", "password", "conf_password",
    ]
    edit_columns = ["full_name", "email", "phone", "roles", "opd", "active"]
    show_fieldsets = [
        (_l("User info"), {"fields": ["full_name", "email", "phone", "roles", "opd", "active"]}),
        (
            _l("Audit Info"),
            {
                "fields": [
                    "email_verified_at", "last_login", "login_count", "fail_login_count",
                    "created_on", "changed_on",
                ],
                "expanded": False,
            },
        ),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["full_name", "email", "phone", "roles", "opd"]}),
    ]
    # FAB's own help texts speak of OID and LDAP; these say what the fields are here.
    description_columns = {
        "full_name": _l("As it appears on messages and in the timeline."),
        "email": _l("The person signs in with this address."),
        "phone": _l("Optional."),
        "active": _l("An inactive account cannot sign in. Deactivate accounts instead of "
                     "deleting them."),
    }
    label_columns = {
        **UserDBModelView.label_columns,
        "full_name": _l("Full name"),
        "phone": _l("Phone"),
        "opd": _l("OPD"),
        "email_verified_at": _l("Email verified at"),
    }
    # FAB shows raw values (`True`, `None`, `[User]`, ISO times); show them readably.
    formatters_columns = {
        "active": yes_no,
        "opd": or_dash,
        "phone": or_dash,
        "roles": _role_names,
        "email_verified_at": _local_time,
        "last_login": _local_time,
        "created_on": _local_time,
        "changed_on": _local_time,
    }
    validators_columns = {
        "full_name": [Length(min=2, max=150)],
        # One account per email whatever its case (before FAB's case-sensitive check).
        "email": [unique_ignoring_case(
            AppUser.email, _l("An account with this email already exists."))],
        "phone": [Optional(), Length(max=30)],
    }
    # Roles and OPD as this app offers them (see _role_and_opd_fields), and FAB's
    # password field with the rule FAB's complexity hook cannot check.
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        **_role_and_opd_fields(),
        "password": PasswordField(
            _l("Password"), widget=BS3PasswordFieldWidget(),
            validators=[DataRequired(), PasswordComplexityValidator(), not_personal]),
    }
    edit_form_extra_fields = _role_and_opd_fields()

    def _normalise(self, item):
        item.email = (item.email or "").strip().lower()
        item.username = item.email
        name = (item.full_name or "").strip()
        item.full_name = name
        item.first_name = name[:64]
        item.last_name = ""

    def pre_add(self, item):
        self._normalise(item)
        # Staff accounts are created by the Super Admin: their email is trusted.
        item.email_verified_at = utcnow()
        super().pre_add(item)

    def pre_update(self, item):
        self._normalise(item)
        super().pre_update(item)

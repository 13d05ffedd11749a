"""Forms of the account pages (Flask-WTF: CSRF-protected, validated on the server)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from .passwords import password_problem

_PHONE = r"^\+?[0-9][0-9 .()-]{5,28}$"


def strong_password(form, field):
    """The password rules, with the person's email and name: from the form's own
    fields (registration, the staff screen) or from `form.person` (reset, profile)."""
    person = getattr(form, "person", None)
    email = getattr(getattr(form, "email", None), "data", None) or getattr(person, "email", None)
    name = (getattr(getattr(form, "full_name", None), "data", None)
            or getattr(person, "full_name", None))
    problem = password_problem(field.data, email=email, name=name)
    if problem:
        raise ValidationError(problem)


def _email_field():
    return StringField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=320),
            Email(_l("Enter a valid email address.")),
        ],
        render_kw={"autocomplete": "email", "type": "email"},
    )


def _new_password_fields(label=None):
    password = PasswordField(
        _l("New password") if label is None else label,
        validators=[DataRequired(_l("Choose a password.")), Length(max=256), strong_password],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password.")),
                    EqualTo("password", _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def _full_name_field():
    return StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your full name.")), Length(min=2, max=150)],
        render_kw={"autocomplete": "name"},
    )


def _phone_field():
    return StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=30),
                    Regexp(_PHONE, message=_l("Enter a phone number, e.g. 0812 3456 7890."))],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )


class LoginForm(FlaskForm):
    # The field is named `username` like FAB's, but what people type is their email.
    username = StringField(_l("Email"),
                           validators=[DataRequired(_l("Enter your email address.")),
                                       Length(max=320)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Enter your password.")),
                                         Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class RegisterForm(FlaskForm):
    full_name = _full_name_field()
    email = _email_field()
    phone = _phone_field()
    password, confirm = _new_password_fields(_l("Password"))


class EmailForm(FlaskForm):
    email = _email_field()


class NewPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person  # whose password this is: see strong_password


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token."""


class ProfileForm(FlaskForm):
    full_name = _full_name_field()
    phone = _phone_field()


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()

"""Password rules, shared by registration, reset, profile and the CLI."""

from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

MIN_LENGTH = 10

# A short list of passwords that meet the length rule but are guessed first.
_COMMON = {
    "password123", "1234567890", "qwertyuiop", "passw0rd12", "katasandi1",
    "indonesia1", "samarinda1", "kaltim2024", "kaltim2025", "kaltim2026",
    "aspirasi123", "admin12345",
}


def password_problem(password):
    """Why a password is too weak, in the user's language, or None if it is fine."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Password must be at least %(n)d characters long.", n=MIN_LENGTH)
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return _("Password must contain both letters and digits.")
    if password.lower() in _COMMON or len(set(password)) < 5:
        return _("This password is too easy to guess.")
    return None


def check_password_strength(password):
    """Flask-AppBuilder's hook (FAB_PASSWORD_COMPLEXITY_VALIDATOR)."""
    problem = password_problem(password)
    if problem:
        raise PasswordComplexityValidationError(problem)

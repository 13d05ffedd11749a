"""Extensions created once and bound to each app in `create_app()`.

The AppBuilder is deliberately *not* here: Flask-AppBuilder keeps per-instance
view state, so a module-level instance reused by a second app registers almost no
routes. The factory creates one per app (see `app/__init__.py`).
"""

from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy()
migrate = Migrate()
mail = Mail()
# Every POST of every form; FAB exempts its token-authenticated APIs itself, which is
# why this must be bound before the AppBuilder.
csrf = CSRFProtect()


def csrf_checked_by_form(view):
    """Leave the CSRF check of `view` to its form: Flask-WTF forms refuse a missing or
    expired token themselves, and the view then shows the form again with what was
    typed and a fresh token, instead of an error page. Only for views that validate
    a FlaskForm before they change anything."""
    return csrf.exempt(view)

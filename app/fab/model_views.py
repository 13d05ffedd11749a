"""What the app's Flask-AppBuilder ModelViews share: refused forms answer 400 and keep
what was typed (also when the form expired), names are unique ignoring case, and no
database error text reaches a page.

FAB flashes `str(exception)` when saving fails, which for a database error is the
driver's raw message in English ("(sqlite3.IntegrityError) UNIQUE constraint failed
…"). `SafeInterface` turns every such failure into a sentence for the person;
uniqueness and the like are checked by the forms first, so it only speaks when two
people save at the same moment.
"""

from flask import current_app, flash, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import validate_csrf
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from wtforms.validators import StopValidation, ValidationError

from ..extensions import csrf_checked_by_form
from ..services.reference import taken_ignoring_case

SAVE_CONFLICT = _l("This could not be saved: it conflicts with what is already saved (a name "
                   "in use, say). Nothing was changed.")
# FAB's `download/<filename>` serves any upload and its `@action` routes skip the row
# filters (and answer 500 for an unknown action): no generated view of ours uses them.
UNUSED_ROUTES = frozenset({"download", "action", "action_post"})
SAVE_FAILED = _l("This could not be saved. Nothing was changed; please try again.")
STILL_USED = _l("This record is still used (by messages or accounts) and cannot be deleted. "
                "Deactivate it instead.")
FORM_EXPIRED = _l("Your form had expired. We kept what you typed: check it and send it again.")


class SaveRefused(Exception):
    """Saving failed; `str()` is the sentence shown to the person."""

    def __init__(self, message):
        super().__init__(str(message))


class SafeInterface(SQLAInterface):
    """FAB's SQLAlchemy interface whose failures read as sentences, not driver errors."""

    def add(self, item, commit=True):
        self._saving(super().add, item, commit, SAVE_CONFLICT)

    def edit(self, item, commit=True):
        self._saving(super().edit, item, commit, SAVE_CONFLICT)

    def delete(self, item, commit=True):
        self._saving(super().delete, item, commit, STILL_USED)

    @staticmethod
    def _saving(save, item, commit, conflict):
        try:
            save(item, commit)  # FAB logs the error and rolls back before raising
        except Exception as error:
            # FAB re-raises add's error as is, edit's and delete's inside its own.
            failure = error if isinstance(error, SQLAlchemyError) else error.__cause__
            if isinstance(failure, IntegrityError):
                raise SaveRefused(conflict) from None
            if isinstance(failure, SQLAlchemyError):
                raise SaveRefused(SAVE_FAILED) from None
            raise


def unique_ignoring_case(column, message, within=None):
    """A form validator: no other row has this value in `column`, whatever its case
    and surrounding spaces (which are trimmed). `within`: the form field naming the
    row the value is unique in (a subcategory's category)."""
    def check(form, field):
        field.data = (field.data or "").strip()
        if not field.data:
            return
        scope = ()
        if within is not None:
            parent = getattr(form, within).data
            if parent is None:
                return
            scope = ((getattr(column.class_, f"{within}_id"), parent.id),)
        # FAB puts the edited row's id on the form as `_id`.
        if taken_ignoring_case(column, field.data, within=scope,
                               exclude_id=getattr(form, "_id", None)):
            raise StopValidation(message)
    return check


def _warn_if_expired():
    """Flash why the form comes back when its CSRF token expired (the form itself
    refuses it: these routes are exempt from the global check)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        flash(FORM_EXPIRED, "warning")


class FormPagesMixin:
    """For a FAB ModelView (before it in the bases): its add and edit pages answer
    400 when they show a refused form, and an expired form comes back as typed."""

    database_error_message = SAVE_FAILED
    delete_integrity_error_message = STILL_USED

    @expose("/add", methods=["GET", "POST"])
    @has_access
    @csrf_checked_by_form
    def add(self):
        return self._form_page(super().add)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    @csrf_checked_by_form
    def edit(self, pk):
        return self._form_page(super().edit, pk)

    def _form_page(self, page, *args):
        if request.method != "POST":
            return page(*args)
        _warn_if_expired()
        response = page(*args)
        # FAB returns the page (a string) when the form was refused, a redirect otherwise.
        return (response, 400) if isinstance(response, str) else response

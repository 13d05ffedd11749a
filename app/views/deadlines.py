"""The deadline screens of the Super Admin and Admins: "Hari Libur" (the working-day
calendar: the national days off of a year, and the Admins' changes to them) and "Batas
Waktu Layanan" (service levels per category, optionally per subcategory)."""

from flask import request
from flask_appbuilder import ModelView, expose, has_access
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import Length, NumberRange, StopValidation

from ..extensions import db
from ..fab.model_views import UNUSED_ROUTES, FormPagesMixin, SafeInterface
from ..i18n import or_dash, yes_no
from ..inputs import parse_whole_number
from ..models import HolidayOverride, ServiceLevel
from ..services import calendar
from ..services.deadline_text import format_day
from ..services.deadlines import DEFAULT_LEVELS

YEAR_ARG = "tahun"
SOURCE_LABELS = {
    "national": _l("National holiday or joint leave day"),
    "added": _l("Day off added here"),
    "cancelled": _l("Working day (cancelled here)"),
}


def _other_rows(model, form, *conditions):
    query = select(model.id).where(*conditions)
    editing = getattr(form, "_id", None)
    if editing is not None:
        query = query.where(model.id != int(editing))
    return db.session.scalars(query).first() is not None


def holiday_day_fits(form, field):
    """One change per day; a cancelled day off must be a national one, an added one not."""
    day = field.data
    if day is None:
        return
    if _other_rows(HolidayOverride, form, HolidayOverride.day == day):
        raise StopValidation(_l("This day has already been changed here; edit that entry."))
    national = day in calendar.national_holidays(day.year)
    if form.working.data and not national:
        raise StopValidation(_l("Only a national holiday or joint leave day can be made a "
                                "working day."))
    if not form.working.data and national:
        raise StopValidation(_l("This day is already a national holiday or joint leave day."))


def _year():
    year = parse_whole_number(request.args.get(YEAR_ARG, ""), 1970, 9998)
    return year or calendar.local_today().year


class HolidayView(FormPagesMixin, ModelView):
    """The Admins' changes to the national calendar, beside the year's days off."""

    exclude_route_methods = UNUSED_ROUTES
    datamodel = SafeInterface(HolidayOverride)
    list_template = "deadlines/holidays.html"
    list_title = _l("Days off")
    show_title = _l("Change to the calendar")
    add_title = _l("Change the calendar")
    edit_title = _l("Edit a change to the calendar")
    list_columns = ["day", "name", "working"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["day", "name", "working"]
    order_columns = ["day", "name"]
    base_order = ("day", "desc")
    label_columns = {"day": _l("Date"), "name": _l("Name"), "working": _l("Working day")}
    description_columns = {
        "day": _l("YYYY-MM-DD"),
        "name": _l("For example: Hari Jadi Provinsi Kalimantan Timur."),
        "working": _l("Tick to make a national holiday or joint leave day a working day "
                      "(a cancelled joint leave day); leave unticked to add a day off."),
    }
    formatters_columns = {"day": lambda day: escape(format_day(day)), "working": yes_no}
    add_form_extra_fields = edit_form_extra_fields = {
        "working": BooleanField(_l("Working day"), default=False),
    }
    validators_columns = {"day": [holiday_day_fits], "name": [Length(min=2, max=150)]}

    @expose("/list/")
    @has_access
    def list(self):
        year = _year()
        days = calendar.load().days_off(year, calendar.display_language())
        return self.render_template(
            self.list_template, title=self.list_title, widgets=self._list(), year=year,
            days=days, source_labels=SOURCE_LABELS, year_arg=YEAR_ARG,
            long_day=format_day,
        )

    def post_add(self, item):
        calendar.changed()

    post_update = post_delete = post_add


def level_scope_fits(form, field):
    """One level per category and one per subcategory of it."""
    category, subcategory = form.category.data, form.subcategory.data
    if category is None:
        return
    if subcategory is not None and subcategory.category_id != category.id:
        raise StopValidation(_l("The subcategory does not belong to the chosen category."))
    subcategory_id = subcategory.id if subcategory is not None else None
    if _other_rows(ServiceLevel, form, ServiceLevel.category_id == category.id,
                   ServiceLevel.subcategory_id.is_(None) if subcategory_id is None
                   else ServiceLevel.subcategory_id == subcategory_id):
        raise StopValidation(_l("This category or subcategory has its service level "
                                "already; edit that one."))


def response_before_resolution(form, field):
    if form.response_days.data and field.data and field.data < form.response_days.data:
        raise StopValidation(_l("Resolution cannot be due before the first response."))


class ServiceLevelView(FormPagesMixin, ModelView):
    """Limits in working days; a change applies to stages that start after it."""

    exclude_route_methods = UNUSED_ROUTES
    datamodel = SafeInterface(ServiceLevel)
    list_title = _l("Service levels")
    show_title = _l("Service level")
    add_title = _l("Add a service level")
    edit_title = _l("Edit a service level")
    list_columns = ["category", "subcategory", "triage_days", "response_days",
                    "resolution_days"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["category", "subcategory"]
    order_columns = ["triage_days", "response_days", "resolution_days"]
    label_columns = {
        "category": _l("Category"),
        "subcategory": _l("Subcategory"),
        "triage_days": _l("Triage (working days)"),
        "response_days": _l("OPD's first response (working days)"),
        "resolution_days": _l("Resolution (working days)"),
    }
    description_columns = {
        "subcategory": _l("Optional: a level for one subcategory overrides its category's."),
        "triage_days": _l("From submission to forwarding or rejection; default %(n)d.",
                          n=DEFAULT_LEVELS.triage),
        "response_days": _l("From forwarding to the OPD's first public action; default "
                            "%(n)d.", n=DEFAULT_LEVELS.response),
        "resolution_days": _l("From forwarding to resolution; default %(n)d.",
                              n=DEFAULT_LEVELS.resolution),
    }
    formatters_columns = {"subcategory": or_dash}
    validators_columns = {
        "category": [level_scope_fits],
        "triage_days": [NumberRange(min=1, max=365)],
        "response_days": [NumberRange(min=1, max=365)],
        "resolution_days": [NumberRange(min=1, max=365), response_before_resolution],
    }


def register(appbuilder):
    appbuilder.add_view(
        HolidayView, "Hari Libur", icon="fa-calendar", label=_l("Days off"),
        category="Referensi", category_label=_l("Reference data"), category_icon="fa-cogs",
    )
    appbuilder.add_view(
        ServiceLevelView, "Batas Waktu Layanan", icon="fa-clock-o",
        label=_l("Service levels"), category="Referensi",
    )

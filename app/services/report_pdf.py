"""The PDF report, drawn by ReportLab alone: title, period, tables with their
charts, the rounding rule and the closing sentences."""

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
]


def render_pdf(report, heading, tables, sentences, rounding_rule):
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=heading[0], author="Aspirasi Etam",
                            leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm)
    styles = getSampleStyleSheet()
    story = [Paragraph(escape(heading[0]), styles["Title"]),
             Paragraph(escape(heading[1]), styles["Heading3"]), Spacer(1, 0.4 * cm)]
    breakdowns = {"by_type": report.by_type, "by_status": report.by_status,
                  "by_opd": report.by_opd}
    width = doc.width - 12  # the frame pads 6 pt a side
    for key, title, header, rows, _is_breakdown in tables:
        block = [Paragraph(escape(title), styles["Heading2"]), _table(header, rows, width)]
        if key in breakdowns and report.total:
            chart = _bars(breakdowns[key]) if key == "by_opd" else _pie(breakdowns[key])
            block += [Spacer(1, 0.3 * cm), chart]
        elif not rows:
            block.append(Paragraph(escape(_("No data for this period.")), styles["Normal"]))
        story += [KeepTogether(block), Spacer(1, 0.5 * cm)]
    story.append(Paragraph(escape(rounding_rule), styles["Italic"]))
    story.append(Paragraph(escape(_("Conclusion")), styles["Heading2"]))
    story += [Paragraph(escape(sentence), styles["BodyText"]) for sentence in sentences]
    doc.build(story)
    return buffer.getvalue()


def _table(header, rows, width):
    """A table exactly `width` wide: each figure column as wide as its longest word,
    the first (names) takes the rest; headers and names wrap, the type shrinks for wide
    tables (the on-time table has eleven columns)."""
    for size in (8, 7, 6.5, 6, 5.5, 5):
        widths = _column_widths(header, rows, size)
        if widths[0] >= min(4 * cm, width / 3) or size == 5:
            break
    widths[0] = max(widths[0], width - sum(widths[1:]))
    head = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=size, leading=size + 1.5)
    name = ParagraphStyle("name", fontName="Helvetica", fontSize=size, leading=size + 1.5)
    cells = [[Paragraph(escape(str(v)), head) for v in header]]
    cells += [[Paragraph(escape(str(row[0])), name), *[str(v) for v in row[1:]]]
              for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]))
    return table


_PAD = 3


def _column_widths(header, rows, size):
    """[width of the names' longest word, then each other column's widest word]."""
    def widest(texts, font):
        words = [w for t in texts for w in str(t).split()] or [""]
        return max(stringWidth(w, font, size) for w in words) + 2 * _PAD + 1

    columns = list(zip(header, *rows, strict=True))
    return [widest([column[0]], "Helvetica-Bold") if i == 0 else
            max(widest(column[:1], "Helvetica-Bold"), widest(column[1:], "Helvetica"))
            for i, column in enumerate(columns)]


def _pie(rows):
    drawing = Drawing(16 * cm, 5.5 * cm)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 20, 10, 130, 130
    pie.data = [row.count for row in rows]
    pie.labels = [f"{row.percent}%" for row in rows]
    pie.slices.strokeColor = colors.white
    for i in range(len(rows)):
        pie.slices[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    drawing.add(pie)
    drawing.add(_legend(rows, x=200, y=130))
    return drawing


def _legend(rows, x, y):
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), f"{row.name}: {row.count}")
        for i, row in enumerate(rows)
    ]
    return legend


def _bars(rows):
    height = max(4, len(rows)) * 0.55 * cm + 1 * cm
    drawing = Drawing(16 * cm, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 6.5 * cm, 0.5 * cm
    chart.width, chart.height = 9 * cm, height - 1 * cm
    # Largest first, top to bottom.
    ordered = list(reversed(rows))
    chart.data = [[row.count for row in ordered]]
    chart.categoryAxis.categoryNames = [_short(row.name) for row in ordered]
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor(PALETTE[0])
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 7
    drawing.add(chart)
    return drawing


def _short(name, width=42):
    return name if len(name) <= width else name[: width - 1] + "…"

"""`aspirasi report`, `demo` and `generate` on the command line."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.extensions import db
from app.models import Message

from .support.reports import (
    SEED_BY_OPD,
    SEED_BY_TYPE,
    SEED_STATUS_COUNTS,
    SEED_TOTAL,
    load_seed_demo,
    triples,
)


@pytest.fixture
def demo(app):
    with app.app_context():
        load_seed_demo()


def _seed_rows():
    """(name, count, percent) of each seed row, statuses by their position."""
    return SEED_BY_TYPE + SEED_BY_OPD


def test_json_report_of_the_demo_gives_the_seed_figures(runner, demo):
    """Does `report --format json` print the seed's total, counts and percents?"""
    result = runner.invoke(args=["aspirasi", "report", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == SEED_TOTAL
    assert triples(data["by_type"]) == SEED_BY_TYPE
    assert [(r["count"], r["percent"]) for r in data["by_status"]] == SEED_STATUS_COUNTS
    assert triples(data["by_opd"]) == SEED_BY_OPD
    assert data["satisfaction"] and data["speed"]
    assert data["period"]["all_time"] is True


def test_csv_report_of_the_demo_gives_the_seed_figures(runner, demo, tmp_path):
    """Does the CSV file hold every seed row with its count and percent?"""
    out = tmp_path / "laporan.csv"
    result = runner.invoke(args=["aspirasi", "report", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [tuple(r) for r in csv.reader(io.StringIO(out.read_text("utf-8-sig")))]
    for name, count, percent in _seed_rows():
        assert (name, str(count), f"{percent}%") in rows
    statuses = [r for r in rows if r and r[0] in {"Selesai", "Sedang ditangani", "Ditolak"}]
    assert statuses == [("Selesai", "38", "90%"), ("Sedang ditangani", "4", "10%")]
    assert rows.count(("Total", "42", "100%")) == 3


def test_xlsx_report_of_the_demo_reads_back_with_the_seed_figures(runner, demo, tmp_path):
    """Read back with openpyxl, does the workbook hold the seed's numbers as numbers?"""
    out = tmp_path / "laporan.xlsx"
    result = runner.invoke(args=["aspirasi", "report", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    rows = [tuple(row[:3]) for row in sheet.iter_rows(values_only=True)]
    for name, count, percent in _seed_rows():
        assert (name, count, percent) in rows
    statuses = [r for r in rows if r[0] in {"Selesai", "Sedang ditangani", "Ditolak"}]
    assert statuses == [("Selesai", 38, 90), ("Sedang ditangani", 4, 10)]


def test_pdf_report_of_the_demo_has_the_seed_figures_in_its_text(runner, demo, tmp_path):
    """Extracted with pypdf, does the PDF state the seed's rows and conclusion figures?"""
    out = tmp_path / "laporan.pdf"
    result = runner.invoke(args=["aspirasi", "report", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    lines = [line.strip() for line in text.splitlines()]
    for name, count, percent in SEED_BY_TYPE + SEED_BY_OPD[:3]:
        index = lines.index(name)
        assert lines[index + 1:index + 3] == [str(count), f"{percent}%"]
    for count, percent in SEED_STATUS_COUNTS:
        assert f"{count} ({percent}%)" in " ".join(lines)
    assert "42" in text and "Dinas Sosial" in text


def test_report_of_a_period_counts_only_that_period(runner, demo):
    """Does a period without messages give a total of 0 and 0% rows?"""
    result = runner.invoke(args=["aspirasi", "report", "--from", "2001-01-01",
                                 "--to", "2001-12-31"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 0 and data["by_opd"] == []
    assert {r["percent"] for r in data["by_type"]} == {0}


def test_demo_refuses_to_run_twice(runner, app):
    """Does a second `demo` stop with a message and leave 42 messages?"""
    first = runner.invoke(args=["aspirasi", "demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["aspirasi", "demo"])
    assert second.exit_code == 1
    assert "already loaded" in second.output
    with app.app_context():
        assert db.session.query(Message).count() == 42


def test_generate_adds_messages_with_unique_codes(runner, app):
    """Does `generate` add exactly N messages, twice over, with unique AE codes?"""
    for seed in ("1", "2"):
        result = runner.invoke(args=["aspirasi", "generate", "--messages", "150", "--seed", seed])
        assert result.exit_code == 0, result.output
    with app.app_context():
        codes = [c for (c,) in db.session.query(Message.code)]
    assert len(codes) == 300 == len(set(codes))
    assert all(c.startswith("AE-") and len(c.split("-")[2]) == 6 for c in codes)


def test_citizens_can_still_submit_after_generate_and_demo(runner, app):
    """Does a citizen's new message get a code no generated or demo message already holds?"""
    from app.models import tracking_code

    from .factories import make_message

    assert runner.invoke(args=["aspirasi", "demo"]).exit_code == 0
    result = runner.invoke(args=["aspirasi", "generate", "--messages", "120", "--seed", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        message = make_message()  # would fail on the unique code if the schemes differed
        codes = [c for (c,) in db.session.query(Message.code)]
        assert len(codes) == len(set(codes)) == 163
        assert all(m.code == tracking_code(m.id, m.created_at)
                   for m in db.session.query(Message) if m.id != message.id)
        assert message.code.count("-") == 3  # a random code, unlike the ones above


@pytest.mark.parametrize("args, message", [
    (["report", "--from", "2026-02-30"], "--from: '2026-02-30' is not a date"),
    (["report", "--to", "kemarin"], "--to: 'kemarin' is not a date"),
    (["report", "--from", "2026-05-01", "--to", "2026-04-01"], "--from must not be after --to"),
    (["report", "--format", "docx"], "--format must be one of json, csv, xlsx, pdf"),
    (["report", "--opd", "NOPE"], "No OPD with the short name 'NOPE'"),
    (["generate", "--messages", "0"], "--messages must be at least 1"),
])
def test_bad_arguments_give_a_one_line_error(runner, args, message):
    """Does a wrong argument give one line of error and a failing exit code?"""
    result = runner.invoke(args=["aspirasi", *args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output


def test_pdf_report_tables_fit_within_the_a4_margins(runner, demo, tmp_path):
    """Does every word of the PDF (the eleven-column on-time table included) end inside
    the page's 2 cm right margin, so that nothing is cut off when printed on A4?"""
    out = tmp_path / "laporan.pdf"
    result = runner.invoke(args=["aspirasi", "report", "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    overflowing = []
    for page in PdfReader(out).pages:
        right_margin = float(page.mediabox.width) - 2 * cm

        def visit(text, cm_matrix, tm, font, size, right_margin=right_margin):
            x = tm[4] * cm_matrix[0] + cm_matrix[4]
            name = str(font["/BaseFont"]).lstrip("/") if font else "Helvetica-Bold"
            end = x + stringWidth(text.strip(), name, size * tm[0] * cm_matrix[0])
            if text.strip() and end > right_margin + 1:
                overflowing.append((text.strip(), round(end)))

        page.extract_text(visitor_text=visit)
    assert not overflowing
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Ketepatan waktu per OPD" in text and "dibuka kembali oleh pelapor" in text

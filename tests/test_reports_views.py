"""The report page, its exports and the public statistics: who sees what."""

import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.models import AppUser
from app.services.demo import CITIZENS, DEMO_ADMIN, DEMO_DOMAIN, MESSAGES

from .factories import make_user
from .support.reports import SEED_BY_OPD, load_seed_demo, triples

EXPORTS = ["json", "csv", "xlsx", "pdf"]
REPORT_URLS = ["/reports/", "/reports/?preset=all"] + [
    f"/reports/export/{fmt}?preset=all" for fmt in EXPORTS]
OTHER_OPDS = [name for name, _count, _percent in SEED_BY_OPD if name != "Dinas Lingkungan Hidup"]


@pytest.fixture
def demo(app):
    with app.app_context():
        load_seed_demo()


def _text_of(response, fmt):
    """What a person would read in an export."""
    if fmt == "xlsx":
        import io

        sheet = load_workbook(io.BytesIO(response.data)).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    if fmt == "pdf":
        import io

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def test_admin_sees_the_seed_report_with_tables_and_charts(client, auth, demo):
    """Does an Admin's all-time report show the seed's rows, the rule and the charts?"""
    auth.login(DEMO_ADMIN)
    response = client.get("/reports/?preset=all")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name, count, percent in SEED_BY_OPD:
        assert f"<td>{name}</td><td class=\"text-right\">{count}</td>" \
               f"<td class=\"text-right\">{percent}%</td>" in page
    assert "largest-remainder" in page or "sisa terbesar" in page
    assert 'data-chart="by_opd"' in page
    assert re.search(r"/static/vendor/chartjs/chart\.umd\.min\.[0-9a-f]{12}\.js", page)
    assert "cdn" not in page.lower()


def test_speed_table_states_the_resolution_of_its_medians(client, auth, demo):
    """Does the report say, under the speed table, how close its medians are?"""
    auth.login(DEMO_ADMIN)
    page = client.get("/reports/?preset=all").get_data(as_text=True)
    table_end = page.index("</table>", page.index('id="table-speed"'))
    note = page.index('id="speed-resolution"')
    assert note > table_end
    assert "satu jam" in page[note:note + 400] and "366 hari" in page[note:note + 400]


def test_admin_exports_each_format(client, auth, demo):
    """Can an Admin download the report as JSON, CSV, XLSX and PDF?"""
    auth.login(DEMO_ADMIN)
    for fmt in EXPORTS:
        response = client.get(f"/reports/export/{fmt}?preset=all")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert "Dinas Komunikasi dan Informatika" in _text_of(response, fmt)


@pytest.mark.parametrize("query", [
    "preset=custom&first=2026-02-31&last=2026-03-01",
    "preset=custom&first=2026-05-01&last=2026-04-01",
    "preset=custom&first=&last=",
    "preset=yesterday",
])
def test_bad_period_gives_a_field_message_not_an_error(client, auth, demo, query):
    """Does a wrong period come back as a form with a message (never a 500)?"""
    auth.login(DEMO_ADMIN)
    for url in (f"/reports/?{query}", f"/reports/export/csv?{query}"):
        response = client.get(url)
        assert response.status_code == 400
        assert b"help-block" in response.data and b"table-by_opd" not in response.data


def test_operator_sees_only_their_own_opd_on_the_page_and_every_export(client, auth, demo):
    """Does a DLH operator's report (page and exports) count only DLH's messages?"""
    auth.login(f"operator.dlh@{DEMO_DOMAIN}")
    page = client.get("/reports/?preset=all").get_data(as_text=True)
    assert "Dinas Lingkungan Hidup" in page
    data = json.loads(client.get("/reports/export/json?preset=all").data)
    assert data["total"] == 8
    assert triples(data["by_opd"]) == [("Dinas Lingkungan Hidup", 8, 100)]
    for fmt in EXPORTS:
        text = _text_of(client.get(f"/reports/export/{fmt}?preset=all"), fmt)
        assert "Dinas Lingkungan Hidup" in text
        assert not [name for name in OTHER_OPDS if name in text]
    assert not [name for name in OTHER_OPDS if name in page]


def test_operator_without_an_opd_sees_nothing(client, auth, app, demo):
    """Does an Operator whose OPD was removed get an empty report, not everyone's?"""
    with app.app_context():
        user = make_user("Operator", email="lost@example.test", opd="DLH")
        db.session.get(AppUser, user.id).opd_id = None
        db.session.commit()
    auth.login("lost@example.test")
    page = client.get("/reports/?preset=all").get_data(as_text=True)
    assert "Dinas Komunikasi dan Informatika" not in page
    data = json.loads(client.get("/reports/export/json?preset=all").data)
    assert data["total"] == 0 and data["by_opd"] == []


@pytest.mark.parametrize("who", ["citizen", "anonymous"])
def test_citizens_and_visitors_get_no_report(client, auth, demo, who):
    """Are the report page and every export closed to a citizen and to a visitor?"""
    if who == "citizen":
        auth.login(f"{CITIZENS[0][1]}@{DEMO_DOMAIN}")
    for url in REPORT_URLS:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Dinas Komunikasi dan Informatika" not in response.data


def test_public_statistics_show_totals_and_no_personal_data(client, app, demo):
    """Does the public page show this year's counts, but no title, text, name or email?"""
    from app.services.reports import Period, build_report

    with app.app_context():
        this_year = build_report(Period.this_year(), details=False)
    response = client.get("/statistik/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"{this_year.total}." in page
    for _opd, _type, title, body, resolution in MESSAGES:
        assert title not in page and body not in page
        assert resolution is None or resolution not in page
    for name, local in CITIZENS:
        assert name not in page and local + "@" not in page
    assert "@" + DEMO_DOMAIN not in page and "Operator DLH" not in page


def test_public_statistics_are_in_the_menu_for_visitors(client):
    """Can a visitor find "Statistik" in the menu without signing in?"""
    page = client.get("/").get_data(as_text=True)
    assert "/statistik/" in page

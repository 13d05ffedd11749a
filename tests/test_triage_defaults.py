"""The forward form preselects nothing a hurried Admin could send by mistake: a new
message needs its category, subcategory and OPD chosen; a forwarded one starts from
its current classification."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Category, Message

from .factories import forward_to, make_message, make_user
from .support.web import WEB_CONFIG, signed_in


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _select(page, name):
    return re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)


def _selected(select_html):
    return re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                      r'<option[^>]*value="([^"]*)"[^>]*selected', select_html)


def test_a_new_message_has_nothing_preselected(app):
    """Does the forward form of a new message show "Choose…" in the category, the
    subcategory and the OPD, with no category or OPD selected?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        mid = make_message().id
    page = signed_in(app, "admin@example.test").get(f"/triase/show/{mid}").get_data(
        as_text=True)
    for name in ("category", "opd"):
        html = _select(page, name)
        assert re.search(r'<option[^>]*value=""[^>]*>Pilih', html), name
        assert not [v for pair in _selected(html) for v in pair if v], name
        assert "required" in html.split(">", 1)[0]
    assert not _selected(_select(page, "subcategory"))


def test_choosing_only_a_subcategory_sends_the_message_nowhere(app):
    """Is a forward with only a subcategory refused (400) with a message per missing
    choice, leaving the message new, instead of going to the first OPD (BPBD)?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        mid, version = message.id, message.version
        sub = db.session.scalar(select(Category).where(Category.code == "pengaduan")) \
            .subcategories[0].id
    response = signed_in(app, "admin@example.test").post(f"/triase/forward/{mid}", data={
        "category": "", "subcategory": str(sub), "opd": "", "version": str(version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pilih kategori." in page and "Pilih OPD tujuan." in page
    with app.app_context():
        stored = db.session.get(Message, mid)
        assert stored.status == "baru" and stored.opd_id is None


def test_reforwarding_starts_from_the_current_classification(app):
    """Does the form of a forwarded message preselect its category and subcategory, and
    leave the (new) OPD to be chosen?"""
    with app.app_context():
        make_user("Admin", email="admin@example.test")
        message = make_message()
        forward_to(message, "DLH", category="aspirasi")
        mid, category_id, sub_id = message.id, message.category_id, message.subcategory_id
    page = signed_in(app, "admin@example.test").get(f"/triase/show/{mid}").get_data(
        as_text=True)
    assert [v for pair in _selected(_select(page, "category")) for v in pair if v] == \
        [str(category_id)]
    assert [v for pair in _selected(_select(page, "subcategory")) for v in pair if v] == \
        [str(sub_id)]
    assert not [v for pair in _selected(_select(page, "opd")) for v in pair if v]

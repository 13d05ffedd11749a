"""List arguments (`_flt_`, `_oc_`/`_od_`, `page_`, `psize_`) are taken only as each list
offers them to each person: anything else is left out, with a message, never a 500
and never a way to sort or filter by what the person may not see."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from flask_appbuilder import ModelView
from sqlalchemy import select

from app.extensions import db
from app.models import AppUser
from app.policy import may_query_column

from .factories import forward_to, make_message, make_user
from .support.fuzz import model_columns
from .support.web import WEB_CONFIG, make_cast, signed_in


@pytest.fixture
def app_config():
    return WEB_CONFIG


def _kept(response):
    """The query arguments of the address a refused list sends the browser to."""
    assert response.status_code == 302, response.status_code
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


def test_operator_cannot_sort_by_the_hidden_author_of_confidential_messages(app):
    """Does an Operator's sort by the author's email (or name, phone, the body) leave the
    list in its usual order, so confidential authors cannot be inferred?"""
    with app.app_context():
        admin = make_user("Admin")
        make_user("Operator", email="op@example.test", opd="DISKOMINFO")
        for email in ("zainal@example.test", "ani@example.test", "maya@example.test"):
            author = make_user("User", email=email)
            message = make_message(author, title=f"Rahasia {email[0]}", confidential=True)
            forward_to(message, "DISKOMINFO", admin=admin)
        db.session.commit()
    client = signed_in(app, "op@example.test")
    for column in ("author.email", "author.full_name", "author.phone", "body", "author_id"):
        response = client.get(f"/opd/list/?_oc_OperatorView={column}&_od_OperatorView=asc")
        assert "_oc_OperatorView" not in _kept(response)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        # The usual order: the newest message first.
        assert page.index("Rahasia m") < page.index("Rahasia a") < page.index("Rahasia z")
        assert "tidak dapat dipakai" in page


def test_operator_cannot_filter_by_the_author(app):
    """Is a filter on the author (by id or on the author's email) left out of an
    Operator's list?"""
    with app.app_context():
        cast = make_cast()
    client = signed_in(app, cast.operator_x)
    response = client.get("/opd/list/?_flt_0_author=1&_flt_0_author.email=warga")
    assert _kept(response) == {}


def _a_value(view, column):
    datamodel = view.datamodel
    if datamodel.is_relation(column) or datamodel.is_integer(column):
        return "1"
    if datamodel.is_boolean(column):
        return "y"
    if datamodel.is_date(column) or datamodel.is_datetime(column):
        return "2026-01-31"
    return "a"


def test_every_list_takes_exactly_what_it_offers_each_person(app):
    """On every list, for every person who may open it, is every column the list offers
    (its search form, its sortable headings) taken, and every other column of the
    model and its relations left out, for filtering and for sorting?"""
    with app.app_context():
        cast = make_cast()
        with_everything = make_message(make_user("User"), title="Lengkap")
        forward_to(with_everything, "DISKOMINFO")
        db.session.commit()
    people = {"citizen": cast.citizen_a, "admin": cast.admin, "super_admin": cast.super_admin,
              "operator": cast.operator_x}
    views = [v for v in app.appbuilder.baseviews if isinstance(v, ModelView)]
    checked, wrong = 0, []
    for role, email in people.items():
        client = signed_in(app, email)
        for view in views:
            name = view.__class__.__name__
            url = f"/{view.route_base.strip('/')}/list/"
            if client.get(url).status_code != 200:
                continue  # FAB refuses this person the list before any argument is read
            model = view.datamodel.obj
            with app.app_context():
                offered_filters = {c for c in view.search_columns
                                   if may_query_column(_user(email), model, c)}
                offered_orders = {c for c in view.order_columns
                                  if may_query_column(_user(email), model, c)}
            search = view._filters.get_search_filters()
            # Everything offered, at every operator index: the list is shown as asked.
            offered = [(f"_flt_{i}_{c}", _a_value(view, c)) for c in sorted(offered_filters)
                       for i in range(len(search[c]))]
            response = client.get(f"{url}?{urlencode(offered)}")
            checked += 1
            if response.status_code != 200:
                wrong.append(f"{name} as {role}: offered filters refused {offered}")
            for column in sorted(offered_orders):
                response = client.get(f"{url}?_oc_{name}={column}&_od_{name}=desc")
                checked += 1
                if response.status_code != 200:
                    wrong.append(f"{name} as {role}: offered sort {column} refused")
            # Everything else: left out, all at once for filters, one by one for sorts.
            others = sorted(model_columns(model) - offered_filters)
            refused = [(f"_flt_{i}_{c}", "1") for c in others for i in range(10)]
            # One operator index past the column's (FAB reads one digit: 0-9).
            refused += [(f"_flt_{len(search[c])}_{c}", "1") for c in offered_filters
                        if len(search[c]) < 10]
            kept = _kept(client.get(f"{url}?{urlencode(refused)}"))
            checked += 1
            if kept:
                wrong.append(f"{name} as {role}: filters taken {sorted(kept)}")
            for column in sorted(model_columns(model) - offered_orders):
                response = client.get(f"{url}?_oc_{name}={column}&_od_{name}=asc")
                checked += 1
                if response.status_code != 302 or _kept(response):
                    wrong.append(f"{name} as {role}: sort by {column} taken")
    assert checked > 100
    assert not wrong, "\n".join(wrong)


def _user(email):
    return db.session.scalar(select(AppUser).where(AppUser.email == email))


@pytest.mark.parametrize("argument", [
    "_flt_4_created_at=x", "_flt_0_returned=abc", "psize_TriageView=abc",
    "psize_TriageView=-1", "psize_TriageView=1000", "page_TriageView=abc",
    "page_TriageView=-5", "page_TriageView=99999999999999999999",
    "_oc_TriageView=%27&_od_TriageView=asc", "_oc_TriageView=bogus&_od_TriageView=asc",
    "_flt_0_opd=abc", "_flt_0_opd=99999999999", "_flt_0_title=a%00b",
    "_flt_0_created_at=2026-99-99", "page_x=abc",
])
def test_malformed_list_arguments_are_left_out_with_a_message(app, argument):
    """Is a malformed search, sort or paging argument left out (the list shown without
    it, with a message in the person's language) instead of a 500?"""
    with app.app_context():
        cast = make_cast()
    client = signed_in(app, cast.admin)
    response = client.get(f"/triase/list/?status=all&{argument}")
    assert _kept(response) == {"status": "all"}
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "tidak dapat dipakai" in page.get_data(as_text=True)


def test_the_lists_own_links_are_taken(app):
    """Are the arguments FAB's own links send (a page, a page size, a sort, a search
    from the form) taken as they are?"""
    with app.app_context():
        cast = make_cast()
    client = signed_in(app, cast.admin)
    for query in ("page_OpdView=1", "psize_OpdView=50", "_oc_OpdView=name&_od_OpdView=desc",
                  "_flt_2_name=Dinas&_flt_0_active=y", "_flt_0_name=Dinas&_flt_0_name=Sosial"):
        assert client.get(f"/opdview/list/?{query}").status_code == 200, query


@pytest.mark.parametrize("path", [
    "/opdview/show/99999999999999999999", "/opdview/edit/2147483648",
    "/subcategoryview/show/-1", "/users/show/abc", "/pesan/show/99999999999999999999",
    "/triase/show/2147483648", "/lampiran/99999999999999999999",
])
def test_ids_beyond_the_database_range_are_not_found(app, path):
    """Is an id no row can have (beyond 2^31, negative, not a number) a 404?"""
    with app.app_context():
        cast = make_cast()
    email = cast.citizen_a if path.startswith(("/pesan", "/lampiran")) else cast.super_admin
    assert signed_in(app, email).get(path).status_code == 404

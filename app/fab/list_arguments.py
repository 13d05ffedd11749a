"""The list arguments of every Flask-AppBuilder ModelView, checked before FAB reads them.

FAB 5.3 takes `_flt_<n>_<column>` (search), `_oc_<View>`/`_od_<View>` (sort),
`page_<View>` and `psize_<View>` from the query string of every ModelView page and
trusts them: it sorts by any column it is named, joined columns included (an Operator
could sort by `author.email` and so learn who wrote a confidential message), filters
on any column of the model, and hands malformed values to the database (a 500).

This guard runs before every request to a ModelView, ours and FAB's own security
screens alike. It keeps the list arguments the view offers the person and drops the
rest, then sends the browser to the address without them, with a message:

- the *whitelist* of a view is what it declares and FAB draws on the page: its
  `search_columns` (with the operators FAB offers for each, by index) and its
  `order_columns`; only its list page takes them (show, add and edit take none);
- per role, `policy.may_query_column` narrows it: nobody filters or sorts by a column
  whose content the person may not read;
- values must be what the search form sends for the column's type: a row id, `y`
  for a ticked box, an ISO date, a number, or text; page numbers and sizes are
  bounded.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from flask import current_app, flash, g, redirect, request
from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from ..inputs import InputRefused, parse_id, parse_whole_number, storable
from ..policy import may_query_column

# FAB finds its arguments with re.findall, anywhere in an argument's name: any name
# these match is a list argument, and must be exactly one the view accepts.
_FAB_PATTERNS = (re.compile(r"_flt_\d_"), re.compile("_oc_"), re.compile("_od_"),
                 re.compile("page_"), re.compile("psize_"))
_FILTER = re.compile(r"_flt_(\d)_(.+)")
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100  # FAB's page-size menu offers 25 to 100
MAX_SEARCH_TEXT = 500

IGNORED = _l("Some of the list's search or sort settings in the address could not be "
             "used and were left out.")


@dataclass(frozen=True)
class Whitelist:
    """What one person may pass to one list: {column: its FAB filters} and sort columns."""

    filters: dict
    orders: frozenset


def whitelist(view, user):
    """The list arguments `view`'s list page accepts from `user`."""
    model = view.datamodel.obj
    search = view._filters.get_search_filters()
    return Whitelist(
        filters={column: tuple(search[column]) for column in view.search_columns
                 if column in search and may_query_column(user, model, column)},
        orders=frozenset(column for column in view.order_columns
                         if may_query_column(user, model, column)),
    )


def _is_list_argument(name):
    return any(pattern.search(name) for pattern in _FAB_PATTERNS)


def _valid_filter_value(datamodel, column, value):
    if not storable(value) or len(value) > MAX_SEARCH_TEXT:
        return False
    if datamodel.is_relation(column):
        return parse_id(value) is not None
    if datamodel.is_boolean(column):
        return value == "y"  # what FAB's search form sends for a ticked box
    if datamodel.is_integer(column):
        return parse_whole_number(value, -(2**31), 2**31 - 1) is not None
    if datamodel.is_date(column) or datamodel.is_datetime(column):
        return _iso_date(value) is not None
    if datamodel.is_float(column) or datamodel.is_numeric(column):
        return parse_whole_number(value, -(10**15), 10**15) is not None
    return True  # text: any storable value


def _iso_date(value):
    for parse in (datetime.fromisoformat, date.fromisoformat):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return None


def _accepts(view, allowed, name, values):
    """Whether the list argument `name` with `values` is one `view` takes as is."""
    own = view.__class__.__name__
    match = _FILTER.fullmatch(name)
    if match:
        index, column = int(match.group(1)), match.group(2)
        filters = allowed.filters.get(column, ())
        return index < len(filters) and all(
            _valid_filter_value(view.datamodel, column, v) for v in values)
    if len(values) != 1:
        return False
    value = values[0]
    if name == f"_oc_{own}":
        return value in allowed.orders and request.args.get(f"_od_{own}") in ("asc", "desc")
    if name == f"_od_{own}":
        return value in ("asc", "desc") and request.args.get(f"_oc_{own}") in allowed.orders
    if name == f"page_{own}":
        return parse_whole_number(value, 0, MAX_PAGE) is not None
    if name == f"psize_{own}":
        return parse_whole_number(value, 1, MAX_PAGE_SIZE) is not None
    return False


def refused_arguments(view, user, endpoint_name):
    """The names of the list arguments of this request that `view` does not take (all
    of them but on its list page)."""
    arguments = [name for name in request.args if _is_list_argument(name)]
    if not arguments or endpoint_name != "list":
        return set(arguments)
    allowed = whitelist(view, user)
    return {name for name in arguments
            if not _accepts(view, allowed, name, request.args.getlist(name))}


def check_model_view_request():
    """Before every request to a ModelView: ids in range, list arguments whitelisted."""
    view = _model_views().get(request.blueprint)
    if view is None or request.endpoint is None:
        return None
    pk = (request.view_args or {}).get("pk")
    if pk is not None and parse_id(pk) is None:
        raise NotFound()
    endpoint_name = request.endpoint.rpartition(".")[2]
    refused = refused_arguments(view, getattr(g, "user", None), endpoint_name)
    if not refused:
        return None
    if request.method not in ("GET", "HEAD"):
        raise InputRefused(IGNORED)
    flash(IGNORED, "warning")
    kept = [(name, value) for name, value in request.args.items(multi=True)
            if name not in refused]
    path = request.script_root + request.path
    return redirect(path + (f"?{urlencode(kept)}" if kept else ""))


def _model_views():
    """{blueprint name: view} of the app's ModelViews, built once per app."""
    found = current_app.extensions.get("model_views_by_blueprint")
    if found is None:
        found = {view.blueprint.name: view for view in current_app.appbuilder.baseviews
                 if isinstance(view, ModelView) and getattr(view, "blueprint", None)}
        current_app.extensions["model_views_by_blueprint"] = found
    return found


def register(app):
    """Must run after FAB's own before_request, which sets `g.user`."""
    app.before_request(check_model_view_request)

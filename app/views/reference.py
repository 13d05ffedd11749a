"""Reference data in Flask-AppBuilder's generated CRUD views: OPDs, categories,
subcategories. Admins keep them current; records are deactivated, not deleted,
because messages point at them."""

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import Email, Length, Optional

from ..fab.model_views import (
    STILL_USED,
    UNUSED_ROUTES,
    FormPagesMixin,
    SafeInterface,
    SaveRefused,
    unique_ignoring_case,
)
from ..i18n import or_dash, yes_no
from ..models import Category, Opd, SubCategory
from ..services.reference import in_use


class _NotDeletedWhileUsedMixin:
    """Records that messages or accounts point at are deactivated, never deleted."""

    def pre_delete(self, item):
        if in_use(item):
            raise SaveRefused(STILL_USED)  # FAB flashes it and deletes nothing


def _active_field():
    # FAB makes a checkbox of a NOT NULL column mandatory, which would forbid
    # unticking it; deactivating is exactly what Admins need to do.
    return BooleanField(
        _l("Active"), default=True,
        description=_l("Inactive records are no longer offered for new messages."),
    )


class OpdView(_NotDeletedWhileUsedMixin, FormPagesMixin, ModelView):
    exclude_route_methods = UNUSED_ROUTES
    datamodel = SafeInterface(Opd)
    # Each page its own title (the <title> and <h1> tell where one is).
    list_title = _l("OPDs")
    show_title = _l("OPD details")
    add_title = _l("Add an OPD")
    edit_title = _l("Edit an OPD")
    list_columns = ["name", "short_name", "contact_email", "active"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["name", "short_name", "active"]
    order_columns = ["name", "short_name"]
    base_order = ("name", "asc")
    label_columns = {
        "name": _l("Name"),
        "short_name": _l("Short name"),
        "contact_email": _l("Contact email"),
        "active": _l("Active"),
    }
    formatters_columns = {"active": yes_no, "contact_email": or_dash}
    add_form_extra_fields = edit_form_extra_fields = {"active": _active_field()}
    validators_columns = {
        "name": [Length(min=3, max=200),
                 unique_ignoring_case(Opd.name, _l("An OPD with this name already exists."))],
        "short_name": [Length(min=2, max=40), unique_ignoring_case(
            Opd.short_name, _l("An OPD with this short name already exists."))],
        "contact_email": [Optional(), Email(), Length(max=320)],
    }


class CategoryView(ModelView):
    exclude_route_methods = UNUSED_ROUTES
    datamodel = SafeInterface(Category)
    list_title = _l("Categories")
    show_title = _l("Category details")
    list_columns = ["name", "code"]
    show_columns = ["name", "code"]
    label_columns = {"name": _l("Name"), "code": _l("Code"), "subcategories": _l("Subcategories")}
    base_permissions = ["can_list", "can_show"]


class SubCategoryView(_NotDeletedWhileUsedMixin, FormPagesMixin, ModelView):
    exclude_route_methods = UNUSED_ROUTES
    datamodel = SafeInterface(SubCategory)
    list_title = _l("Subcategories")
    show_title = _l("Subcategory details")
    add_title = _l("Add a subcategory")
    edit_title = _l("Edit a subcategory")
    list_columns = ["category", "name", "active"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["category", "name", "active"]
    base_order = ("name", "asc")
    label_columns = {"category": _l("Category"), "name": _l("Name"), "active": _l("Active")}
    formatters_columns = {"active": yes_no}
    add_form_extra_fields = edit_form_extra_fields = {"active": _active_field()}
    validators_columns = {"name": [Length(min=2, max=150), unique_ignoring_case(
        SubCategory.name, _l("This category already has a subcategory with this name."),
        within="category")]}


def register(appbuilder):
    category = "Referensi"
    appbuilder.add_view(
        OpdView, "Data OPD", icon="fa-building", label=_l("OPDs"),
        category=category, category_label=_l("Reference data"), category_icon="fa-cogs",
    )
    appbuilder.add_view(
        CategoryView, "Kategori", icon="fa-tags", label=_l("Categories"), category=category,
    )
    appbuilder.add_view(
        SubCategoryView, "Subkategori", icon="fa-tag", label=_l("Subcategories"),
        category=category,
    )

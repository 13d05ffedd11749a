"""Every HTML page of the app, as who sees it and at which address, for the
accessibility test (tests/test_accessibility.py).

`PAGES` maps each endpoint that answers GET to the visits that show its page(s), or
to `NotAPage(reason)`. The test enumerates the URL map, so a page added later fails
until it is listed here (and is clean). Addresses are formatted with the ids of
`make_scene()`; `state` names a form sent empty first, to check its error state.
"""

from dataclasses import dataclass

from app import workflow
from app.accounts.tokens import make_reset_token, make_verify_token
from app.extensions import db
from app.models import AppUser
from app.policy import USER

from ..factories import make_message, make_user
from .web import make_cast


@dataclass(frozen=True)
class Visit:
    role: str  # anonymous, unverified, citizen, admin, operator, super_admin
    path: str
    # Submit the page's first form as it is (empty) and check the refusal too.
    submit_empty: bool = False


@dataclass(frozen=True)
class NotAPage:
    reason: str


def visits(*items):
    return tuple(Visit(*item) if isinstance(item, tuple) else item for item in items)


_REDIRECT = NotAPage("redirects")
_FILE = NotAPage("a file download")
_API = NotAPage("JSON API")
_REFUSED = NotAPage("refused to every role (its 403 page is the error page checked here)")

PAGES = {
    # --- visitors ------------------------------------------------------------------
    "HomeView.index": visits(("anonymous", "/"), ("citizen", "/"), ("admin", "/"),
                             ("operator", "/"), ("super_admin", "/")),
    "AspirasiAuthView.login": visits(("anonymous", "/login/", True)),
    "AccountView.register": visits(("anonymous", "/account/register", True)),
    "AccountView.check_email": visits(("anonymous", "/account/check-email?sent=verify"),
                                      ("anonymous", "/account/check-email?sent=reset")),
    "AccountView.verify": visits(("anonymous", "/account/verify/{verify_token}"),
                                 ("anonymous", "/account/verify/not-a-token")),
    "AccountView.forgot_password": visits(("anonymous", "/account/forgot-password", True)),
    "AccountView.reset_password": visits(("anonymous", "/account/reset-password/{reset_token}",
                                          True),
                                         ("anonymous", "/account/reset-password/not-a-token")),
    "AccountView.verify_notice": visits(("unverified", "/account/verify-notice")),
    "TrackView.show": visits(("anonymous", "/lacak/"), ("anonymous", "/lacak/?kode={code}"),
                             ("anonymous", "/lacak/?kode=AE-2026-ABCD-EFGH")),
    "PublicStatsView.show": visits(("anonymous", "/statistik/"), ("citizen", "/statistik/"),
                                   ("admin", "/statistik/")),

    # --- citizens --------------------------------------------------------------------
    "CitizenView.list": visits(("citizen", "/pesan/list/"),
                               ("citizen", "/pesan/list/?status=selesai")),
    "CitizenView.add": visits(("citizen", "/pesan/add", True)),
    "CitizenView.show": visits(("citizen", "/pesan/show/{forwarded}"),
                               ("citizen", "/pesan/show/{resolved}", True),
                               ("citizen", "/pesan/show/{rated}"),
                               ("citizen", "/pesan/show/{rejected}"),
                               ("citizen", "/pesan/show/{waiting}", True),
                               ("citizen", "/pesan/show/{own_new}")),
    "ProfileView.show": visits(("citizen", "/profile/"), ("operator", "/profile/")),
    "ProfileView.edit": visits(("citizen", "/profile/edit"), ("admin", "/profile/edit")),
    "ProfileView.password": visits(("citizen", "/profile/password", True),
                                   ("operator", "/profile/password", True)),

    # --- Admins ----------------------------------------------------------------------
    "TriageView.list": visits(("admin", "/triase/list/"), ("admin", "/triase/list/?status=all")),
    "TriageView.show": visits(("admin", "/triase/show/{new}"),
                              ("super_admin", "/triase/show/{escalated}")),
    "OpdView.list": visits(("admin", "/opdview/list/")),
    "OpdView.show": visits(("admin", "/opdview/show/{opd}")),
    "OpdView.add": visits(("admin", "/opdview/add", True)),
    "OpdView.edit": visits(("admin", "/opdview/edit/{opd}")),
    "CategoryView.list": visits(("admin", "/categoryview/list/")),
    "CategoryView.show": visits(("admin", "/categoryview/show/{category}")),
    "CategoryView.add": _REFUSED,
    "CategoryView.edit": _REFUSED,
    "SubCategoryView.list": visits(("admin", "/subcategoryview/list/")),
    "SubCategoryView.show": visits(("admin", "/subcategoryview/show/{subcategory}")),
    "SubCategoryView.add": visits(("admin", "/subcategoryview/add")),
    "SubCategoryView.edit": visits(("admin", "/subcategoryview/edit/{subcategory}")),
    "HolidayView.list": visits(("admin", "/holidayview/list/")),
    "HolidayView.show": visits(("admin", "/holidayview/show/{holiday}")),
    "HolidayView.add": visits(("admin", "/holidayview/add", True)),
    "HolidayView.edit": visits(("admin", "/holidayview/edit/{holiday}")),
    "ServiceLevelView.list": visits(("admin", "/servicelevelview/list/")),
    "ServiceLevelView.show": visits(("admin", "/servicelevelview/show/{service_level}")),
    "ServiceLevelView.add": visits(("admin", "/servicelevelview/add", True)),
    "ServiceLevelView.edit": visits(("admin", "/servicelevelview/edit/{service_level}")),
    "ReportView.show": visits(("admin", "/reports/"), ("operator", "/reports/?preset=custom")),

    # --- Operators ---------------------------------------------------------------------
    "OperatorView.list": visits(("operator", "/opd/list/")),
    "OperatorView.show": visits(("operator", "/opd/show/{forwarded}"),
                                ("operator", "/opd/show/{in_progress}")),

    # --- Super Admin (FAB's security screens) ---------------------------------------
    "StaffUserView.list": visits(("super_admin", "/users/list/")),
    "StaffUserView.show": visits(("super_admin", "/users/show/{operator_id}")),
    "StaffUserView.add": visits(("super_admin", "/users/add", True)),
    "StaffUserView.edit": visits(("super_admin", "/users/edit/{operator_id}")),
    "StaffUserView.userinfo": visits(("super_admin", "/users/userinfo/")),
    "RoleModelView.list": visits(("super_admin", "/roles/list/")),
    "RoleModelView.show": visits(("super_admin", "/roles/show/{role}")),
    "UserGroupModelView.list": visits(("super_admin", "/groups/list/")),
    "UserGroupModelView.add": visits(("super_admin", "/groups/add")),
    "UserGroupModelView.show": NotAPage("no group exists (the list says so)"),
    "UserGroupModelView.edit": NotAPage("no group exists (the list says so)"),
    "ResetMyPasswordView.this_form_get": visits(("super_admin", "/resetmypassword/form")),
    "ResetPasswordView.this_form_get": visits(
        ("super_admin", "/resetpassword/form?pk={operator_id}")),
    "UserInfoEditView.this_form_get": visits(("super_admin", "/userinfoeditview/form")),
    "SwaggerView.show": NotAPage("FAB's Swagger UI (left out by the issue)"),

    # --- not pages ------------------------------------------------------------------------
    "AspirasiAuthView.logout": _REDIRECT,
    "LocaleView.index": _REDIRECT,
    "UtilView.back": _REDIRECT,
    "StaffUserView.action": _REDIRECT,
    **{f"{view}.delete": _REDIRECT for view in ("CategoryView", "OpdView", "SubCategoryView",
                                                "StaffUserView", "UserGroupModelView",
                                                "HolidayView", "ServiceLevelView")},
    "AttachmentView.download": _FILE,
    "ReportView.export": _FILE,
    "MenuApi.get_menu_data": _API,
    "OpenApi.get": _API,
    "MessageApi.download": _FILE,
    "MessageApi.get_message": _API,
    "MessageApi.list_messages": _API,
    "static": _FILE,
    "appbuilder.static": _FILE,
}

# Error pages, drawn for a visitor, a citizen and staff.
ERROR_PAGES = visits(("anonymous", "/no-such-page"), ("citizen", "/triase/list/"),
                     ("admin", "/pesan/show/987654"), ("citizen", "/pesan/show/987654"))

EMAILS = {
    "unverified": "belum@example.test",
}


def make_scene():
    """The people and messages the pages need; returns (emails by role, ids by name)."""
    cast = make_cast()
    unverified = make_user(USER, email=EMAILS["unverified"], verified=False)
    citizen = db.session.query(AppUser).filter_by(email=cast.citizen_a).one()
    operator = db.session.query(AppUser).filter_by(email=cast.operator_x).one()
    admin = db.session.query(AppUser).filter_by(email=cast.admin).one()
    boss = db.session.query(AppUser).filter_by(email=cast.super_admin).one()

    from ..factories import forward_to

    def resolved_message(title):
        message = make_message(citizen, title=title)
        forward_to(message, "DISKOMINFO", admin=admin)
        workflow.start(operator, message)
        workflow.progress(operator, message, note="Petugas sudah meninjau lokasi.")
        workflow.resolve(operator, message, resolution="Perbaikan selesai dikerjakan.")
        return message

    resolved = resolved_message("Lampu jalan padam di Jl. Juanda")
    rated = resolved_message("Drainase tersumbat di Jl. Pahlawan")
    workflow.rate(citizen, rated, stars=4, comment="Cukup cepat, terima kasih.")
    rejected = make_message(citizen, title="Pesan ganda")
    workflow.reject(admin, rejected, reason="Sama dengan pesan sebelumnya.")
    in_progress = make_message(title="Sinyal internet hilang di Kutai Barat")
    forward_to(in_progress, "DISKOMINFO", admin=admin)
    workflow.start(operator, in_progress)
    escalated = make_message(title="Banjir di perbatasan kabupaten")
    workflow.escalate(admin, escalated, reason="OPD yang berwenang tidak jelas.")
    new = make_message(title="Jalan berlubang di depan sekolah")
    # The sender's voice: a question to answer, a new message to withdraw or add to.
    waiting = make_message(citizen, title="Pohon tumbang di Jl. Awang Long")
    forward_to(waiting, "DISKOMINFO", admin=admin)
    workflow.ask(operator, waiting, question="Apakah pohonnya menutup seluruh jalan?")
    own_new = make_message(citizen, title="Trotoar rusak di Jl. Basuki Rahmat")
    db.session.commit()
    from datetime import date

    from app.models import Category, HolidayOverride, Opd, ServiceLevel, SubCategory

    holiday = HolidayOverride(day=date(2026, 1, 9), name="Hari Jadi Provinsi")
    level = ServiceLevel(category_id=db.session.query(Category.id).order_by(Category.id)
                         .first()[0], triage_days=2, response_days=4, resolution_days=10)
    db.session.add_all([holiday, level])
    db.session.commit()

    ids = {
        "forwarded": cast.message_a, "resolved": resolved.id, "rated": rated.id,
        "rejected": rejected.id, "in_progress": in_progress.id, "escalated": escalated.id,
        "new": new.id, "operator_id": operator.id, "code": resolved.code,
        "waiting": waiting.id, "own_new": own_new.id,
        "opd": db.session.query(Opd.id).order_by(Opd.id).first()[0],
        "category": db.session.query(Category.id).order_by(Category.id).first()[0],
        "subcategory": db.session.query(SubCategory.id).order_by(SubCategory.id).first()[0],
        "role": boss.roles[0].id,
        "holiday": holiday.id, "service_level": level.id,
        "verify_token": make_verify_token(unverified),
        "reset_token": make_reset_token(citizen),
    }
    emails = {"citizen": cast.citizen_a, "admin": cast.admin, "operator": cast.operator_x,
              "super_admin": cast.super_admin, **EMAILS}
    return emails, ids

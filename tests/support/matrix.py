"""The authorization matrix: for every registered endpoint, what each kind of
person gets for their own object and for someone else's.

`MATRIX` maps an endpoint name to an `Expect`. The test enumerates `app.url_map`,
so a new endpoint without an entry here fails with its name. An entry may be
`undecided(...)` while nobody has stated what it should answer: it fails too,
listing the endpoint, so it is not forgotten.
"""

from dataclasses import dataclass, field

# What a response means, from the visitor's side.
OK = "ok"  # 2xx: the page or file
REDIRECT = "redirect"  # 3xx somewhere other than the login page
LOGIN = "login"  # 3xx to the login page
REFUSED = "refused"  # 400/409: the view ran and refused the (empty) input
UNAUTHORIZED = "401"
FORBIDDEN = "403"
MISSING = "404"

ROLES = (
    "anonymous", "citizen_a", "citizen_b", "admin", "super_admin", "operator_x", "operator_y",
)
# Which family each role's expectation comes from.
FAMILY = {
    "anonymous": "anonymous", "citizen_a": "citizen", "citizen_b": "citizen",
    "admin": "admin", "super_admin": "super_admin",
    "operator_x": "operator", "operator_y": "operator",
}

# Endpoints that are not application pages.
SKIPPED = {"static", "appbuilder.static"}


def _pair(value):
    return value if isinstance(value, tuple) else (value, value)


@dataclass(frozen=True)
class Expect:
    """Expected outcome per role family, as (own object, someone else's object).

    `obj` says what a `<pk>` in the URL stands for: "message" / "attachment"
    (own and other differ per person), "opd", "category", "subcategory", "user",
    "role" (a real row), "absent" (an id no row has: used for routes that would
    change data on GET). `method` is used when the rule allows it, else the rule's
    only method. `ends_session`: the client must sign in again afterwards.
    """

    anonymous: object = LOGIN
    citizen: object = FORBIDDEN
    admin: object = FORBIDDEN
    super_admin: object = OK
    operator: object = FORBIDDEN
    obj: str | None = None
    method: str = "GET"
    ends_session: bool = False
    decided: bool = True
    note: str = ""
    args: dict = field(default_factory=dict)
    body: dict | None = None  # JSON body for API calls

    def expected(self, role):
        return _pair(getattr(self, FAMILY[role]))


def undecided(note, **kwargs):
    """An endpoint whose expected answers are not stated yet (the test fails on it)."""
    return Expect(decided=False, note=note, **kwargs)


def everyone(outcome, **kwargs):
    return Expect(anonymous=outcome, citizen=outcome, admin=outcome, super_admin=outcome,
                  operator=outcome, **kwargs)


def staff_only(**kwargs):
    """Super Admin only (FAB's security screens): the others are refused."""
    return Expect(**kwargs)


def _reference(admin_may_edit, editable=True):
    """A reference-data CRUD view (OPDs, categories, subcategories). Categories are
    fixed (`base_permissions` list/show): nobody, not even a Super Admin, edits them."""
    edit = OK if admin_may_edit else FORBIDDEN
    boss = OK if editable else FORBIDDEN
    return {
        "list": Expect(admin=OK),
        "show": Expect(admin=OK, obj=None),
        "add": Expect(admin=edit, super_admin=boss),
        "edit": Expect(admin=edit, super_admin=boss),
        # An id no row has: a permitted delete answers 404 without deleting.
        "delete": Expect(admin=FORBIDDEN, super_admin=MISSING if editable else FORBIDDEN,
                         method="POST",
                         obj="absent"),
    }


def _crud(view, obj, parts):
    entries = {}
    for name, expect in parts.items():
        if expect.obj is None and name in ("show", "edit"):
            expect = Expect(**{**expect.__dict__, "obj": obj})
        entries[f"{view}.{name}"] = expect
    return entries


MATRIX = {
    # --- public and session pages ------------------------------------------------
    "HomeView.index": everyone(OK),
    "LocaleView.index": everyone(REDIRECT, args={"locale": "id"}),
    "UtilView.back": everyone(REDIRECT),
    "AspirasiAuthView.login": Expect(anonymous=OK, citizen=REDIRECT, admin=REDIRECT,
                                     super_admin=REDIRECT, operator=REDIRECT),
    # POST only (with the CSRF token): a cross-site link or HEAD signs nobody out.
    "AspirasiAuthView.logout": everyone(REDIRECT, ends_session=True, method="POST"),

    # --- citizen accounts (app/security/account_views.py): public pages; a signed-in
    #     person is sent on from the sign-up and reset forms. Bad tokens are refused.
    "AccountView.register": Expect(anonymous=OK, citizen=REDIRECT, admin=REDIRECT,
                                   super_admin=REDIRECT, operator=REDIRECT),
    # "Check your email" only follows a registration in the same session.
    "AccountView.check_email": everyone(MISSING),
    "AccountView.verify": everyone(REFUSED, args={"token": "not-a-token"}),
    # The notice is for unverified citizens; everyone else is sent on.
    "AccountView.verify_notice": Expect(anonymous=LOGIN, citizen=REDIRECT, admin=REDIRECT,
                                        super_admin=REDIRECT, operator=REDIRECT),
    "AccountView.resend": Expect(anonymous=LOGIN, citizen=REDIRECT, admin=REDIRECT,
                                 super_admin=REDIRECT, operator=REDIRECT, method="POST"),
    "AccountView.forgot_password": everyone(OK),
    "AccountView.reset_password": everyone(REFUSED, args={"token": "not-a-token"}),

    # --- one's own profile (app/security/profile_views.py): the user comes from the
    #     session, so there is no "other" to reach.
    "ProfileView.show": Expect(citizen=OK, admin=OK, super_admin=OK, operator=OK),
    "ProfileView.edit": Expect(citizen=OK, admin=OK, super_admin=OK, operator=OK),
    "ProfileView.password": Expect(citizen=OK, admin=OK, super_admin=OK, operator=OK),

    # --- the citizen's screens (app/views/citizen.py) -----------------------------
    "CitizenView.list": Expect(citizen=OK),
    "CitizenView.add": Expect(citizen=OK),
    # A Super Admin holds every permission, but "my messages" are only the author's.
    "CitizenView.show": Expect(citizen=(OK, MISSING), super_admin=MISSING, obj="message"),
    "CitizenView.rate": Expect(citizen=(REFUSED, MISSING), super_admin=MISSING,
                               obj="message", method="POST"),
    # The sender's moves (app/views/voice.py): an empty form is refused on one's own.
    **{
        f"CitizenView.{name}": Expect(citizen=(REFUSED, MISSING), super_admin=MISSING,
                                      obj="message", method="POST")
        for name in ("answer", "add_info", "reopen", "appeal", "withdraw")
    },

    # --- triage (app/views/triage.py) ------------------------------------------------
    "TriageView.list": Expect(admin=OK),
    "TriageView.show": Expect(admin=OK, obj="message"),
    "TriageView.forward": Expect(admin=REFUSED, super_admin=REFUSED, obj="message",
                                 method="POST"),
    "TriageView.escalate": Expect(admin=REFUSED, super_admin=REFUSED, obj="message",
                                  method="POST"),
    "TriageView.reject": Expect(admin=REFUSED, super_admin=REFUSED, obj="message",
                                method="POST"),
    "TriageView.ask": Expect(admin=REFUSED, super_admin=REFUSED, obj="message",
                             method="POST"),
    # The Super Admin's instruction to the OPD of an overdue message.
    "TriageView.instruct": Expect(super_admin=REFUSED, obj="message", method="POST"),

    # --- the OPD's screens (app/views/operator.py) -----------------------------------
    "OperatorView.list": Expect(operator=OK),
    "OperatorView.show": Expect(operator=(OK, MISSING), obj="message"),
    **{
        f"OperatorView.{form}": Expect(operator=(REFUSED, MISSING), super_admin=REFUSED,
                                       obj="message", method="POST")
        for form in ("start", "progress", "return_", "resolve", "ask")
    },

    # --- files (app/views/attachments.py) ----------------------------------------------
    "AttachmentView.download": Expect(citizen=(OK, MISSING), admin=OK,
                                      operator=(OK, MISSING), obj="attachment"),

    # --- reference data (app/views/reference.py; inferred from roles.py) ------------
    **_crud("OpdView", "opd", _reference(admin_may_edit=True)),
    **_crud("CategoryView", "category", _reference(admin_may_edit=False, editable=False)),
    **_crud("SubCategoryView", "subcategory", _reference(admin_may_edit=True)),
    # The calendar's changes and the service levels (app/views/deadlines.py): Admins and
    # the Super Admin edit and delete them; an id no row has answers 404 to both.
    **{
        f"{view}.{name}": expect
        for view in ("HolidayView", "ServiceLevelView")
        for name, expect in {
            "list": Expect(admin=OK),
            "add": Expect(admin=OK),
            "show": Expect(admin=MISSING, super_admin=MISSING, obj="absent"),
            "edit": Expect(admin=MISSING, super_admin=MISSING, obj="absent"),
            "delete": Expect(admin=MISSING, super_admin=MISSING, obj="absent",
                             method="POST"),
        }.items()
    },

    # --- FAB's security screens: Super Admin only (inferred; the accounts
    #     engineer replaces the self-service ones with ProfileView) -----------------
    **_crud("StaffUserView", "user", {
        "list": staff_only(), "show": staff_only(), "add": staff_only(),
        "edit": staff_only(),
        "delete": staff_only(super_admin=MISSING, obj="absent", method="POST"),
    }),
    "StaffUserView.userinfo": staff_only(),
    # Roles are read-only: their grants live in app/security/roles.py.
    **_crud("RoleModelView", "role", {"list": staff_only(), "show": staff_only()}),
    **_crud("UserGroupModelView", "absent", {
        "list": staff_only(), "show": staff_only(super_admin=MISSING),
        "add": staff_only(), "edit": staff_only(super_admin=MISSING),
        "delete": staff_only(super_admin=MISSING, obj="absent", method="POST"),
    }),
    "ResetMyPasswordView.this_form_get": staff_only(),
    "ResetMyPasswordView.this_form_post": staff_only(method="POST"),
    "ResetPasswordView.this_form_get": staff_only(),
    "ResetPasswordView.this_form_post": staff_only(method="POST"),
    "UserInfoEditView.this_form_get": staff_only(),
    "UserInfoEditView.this_form_post": staff_only(method="POST"),
    "UserStatsChartView.chart": staff_only(args={"group_by": "0"}),

    # --- FAB's API plumbing ---------------------------------------------------------
    # FAB's menu API: only the Super Admin holds its permission (the menu is
    # rendered on the server, nobody else needs it).
    "MenuApi.get_menu_data": staff_only(anonymous=UNAUTHORIZED),
    "OpenApi.get": staff_only(anonymous=UNAUTHORIZED, args={"version": "v1"}),
    "SwaggerView.show": staff_only(args={"version": "v1"}),
    # FAB's token login behind the web login's throttle (app/fab/token_login.py).
    "AspirasiSecurityApi.login": everyone(REFUSED, method="POST"),
    "AspirasiSecurityApi.refresh": everyone(UNAUTHORIZED, method="POST"),

    # --- FAB routes of the security views: `download` and list actions are
    #     excluded; an unknown action name is a 404 for everybody (FAB gave 500).
    "StaffUserView.action": everyone(MISSING, obj="absent", args={"name": "nothing"}),

    # --- the REST API (app/api/), called with each person's token. A stale
    #     `version` makes every permitted move refuse (409) instead of changing data.
    "MessageApi.list_messages": Expect(anonymous=UNAUTHORIZED, citizen=OK, admin=OK,
                                       operator=OK),
    "MessageApi.get_message": Expect(anonymous=UNAUTHORIZED, citizen=(OK, MISSING), admin=OK,
                                     operator=(OK, MISSING), obj="message"),
    "MessageApi.download": Expect(anonymous=UNAUTHORIZED, citizen=(OK, MISSING), admin=OK,
                                  operator=(OK, MISSING), obj="message_attachment"),
    "MessageApi.submit": Expect(anonymous=UNAUTHORIZED, citizen=REFUSED, super_admin=FORBIDDEN,
                                method="POST", body={}),
    "MessageApi.rate": Expect(anonymous=UNAUTHORIZED, citizen=(REFUSED, MISSING),
                              super_admin=FORBIDDEN, obj="message", method="POST",
                              body={"stars": 5}),
    **{
        f"MessageApi.{name}": Expect(anonymous=UNAUTHORIZED, admin=REFUSED,
                                     super_admin=REFUSED, obj="message", method="POST",
                                     body={"version": -1})
        for name in ("forward", "escalate", "reject")
    },
    **{
        f"MessageApi.{name}": Expect(anonymous=UNAUTHORIZED, operator=(REFUSED, MISSING),
                                     super_admin=REFUSED, obj="message", method="POST",
                                     body={"version": -1})
        for name in ("start", "progress", "return_message", "resolve")
    },
    "MessageApi.ask": Expect(anonymous=UNAUTHORIZED, admin=REFUSED, super_admin=REFUSED,
                             operator=(REFUSED, MISSING), obj="message", method="POST",
                             body={"version": -1}),
    **{
        f"MessageApi.{name}": Expect(anonymous=UNAUTHORIZED, citizen=(REFUSED, MISSING),
                                     super_admin=REFUSED, obj="message", method="POST",
                                     body={"version": -1})
        for name in ("answer", "add_info", "reopen", "appeal", "withdraw")
    },

    # --- reports (app/views/reports.py): staff only; an Operator's figures are those of
    #     their own OPD (tests/test_reports_views.py checks the content). Public
    #     statistics need no login and carry no personal data.
    "ReportView.show": Expect(admin=OK, operator=OK),
    "ReportView.export": Expect(admin=OK, operator=OK, args={"fmt": "csv"}),
    "PublicStatsView.show": everyone(OK),
    # Tracking by code (app/views/track.py): the form, for anyone.
    "TrackView.show": everyone(OK),
}

"""Who may see and do what: the one place that knows the roles.

A role is declared once below, with its capabilities (what it may do with messages)
and its grants (which screens and API endpoints Flask-AppBuilder lets it reach).
Everything else asks this module: the FAB permission matrix (`fab_roles()`), the
message scope every list, detail, download, export and API call is filtered by, the
report scope, whose identity and which notes a person may read, and the predicates
the workflow's `RULES` call. Nothing else in `app/` looks at a user's roles.

Scopes are sets of OPD ids: `None` means every OPD, an empty set means none.
"""

import enum
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, or_, select, true
from sqlalchemy.orm import joinedload

from .models import AppUser, Message

SUPER_ADMIN = "Super Admin"
ADMIN = "Admin"
OPERATOR = "Operator"
USER = "User"
PUBLIC = "Public"

CONFIDENTIAL_LABEL = _l("identity kept confidential")
SYSTEM_LABEL = _l("System")  # the actor of automatic timeline entries


class Can(enum.StrEnum):
    """What a role may do with messages (object-level; screens are grants)."""

    SEE_ALL = "see every message"
    SEE_OPD = "see the messages of the person's OPDs"
    SEE_OWN = "see the messages the person wrote"
    SUBMIT = "send messages"
    TRIAGE = "classify, forward, escalate and reject new messages"
    DECIDE = "decide escalated messages"
    PROCESS = "work on the messages of the person's OPDs"
    READ_INTERNAL = "read internal notes and notes addressed to staff"
    SEE_IDENTITY = "see who wrote a confidential message"


@dataclass(frozen=True)
class Role:
    name: str
    can: frozenset
    # (view or menu name, permission names): FAB grants, anchored when generated.
    grants: tuple = ()
    every_permission: bool = False


def _grant(view, *permissions):
    return (view, permissions)


def _menus(*names):
    return tuple(_grant(name, "menu_access") for name in names)


_CRUD_NO_DELETE = ("can_list", "can_show", "can_add", "can_edit")
_EVERYONE = (_grant("PublicStatsView", "can_show"), _grant("TrackView", "can_show"),
             *_menus("Statistik"))
_SELF_SERVICE = (
    _grant("ProfileView", "can_show", "can_edit", "can_password"),
    _grant("AttachmentView", "can_download"),
    *_EVERYONE,
)

ROLES = (
    # Diskominfo's application team: everything, including users and roles.
    Role(SUPER_ADMIN, frozenset({Can.SEE_ALL, Can.TRIAGE, Can.DECIDE, Can.READ_INTERNAL,
                                 Can.SEE_IDENTITY}), every_permission=True),
    # Provincial triage officers.
    Role(ADMIN, frozenset({Can.SEE_ALL, Can.TRIAGE, Can.READ_INTERNAL, Can.SEE_IDENTITY}), (
        _grant("OpdView", *_CRUD_NO_DELETE),
        _grant("CategoryView", "can_list", "can_show"),
        _grant("SubCategoryView", *_CRUD_NO_DELETE),
        _grant("HolidayView", *_CRUD_NO_DELETE, "can_delete"),
        _grant("ServiceLevelView", *_CRUD_NO_DELETE, "can_delete"),
        _grant("TriageView", "can_list", "can_show", "can_escalate", "can_reject",
               "can_forward", "can_ask"),  # not can_instruct: the Super Admin's
        _grant("ReportView", "can_show", "can_export"),
        _grant("MessageApi", "can_get", "can_triage", "can_ask"),
        *_menus("Referensi", "Data OPD", "Kategori", "Subkategori", "Hari Libur",
                "Batas Waktu Layanan", "Pesan", "Kotak Masuk", "Laporan"),
        *_SELF_SERVICE,
    )),
    # An officer of one OPD: only that OPD's messages.
    Role(OPERATOR, frozenset({Can.SEE_OPD, Can.PROCESS, Can.READ_INTERNAL}), (
        _grant("OperatorView", "can_list", "can_show", "can_start", "can_progress",
               "can_return", "can_resolve", "can_ask"),
        _grant("ReportView", "can_show", "can_export"),
        _grant("MessageApi", "can_get", "can_process", "can_ask"),
        *_menus("Pesan", "Pesan OPD", "Laporan"),
        *_SELF_SERVICE,
    )),
    # A citizen: their own messages only.
    Role(USER, frozenset({Can.SEE_OWN, Can.SUBMIT}), (
        _grant("CitizenView", "can_list", "can_show", "can_add", "can_rate", "can_answer",
               "can_add_info", "can_reopen", "can_appeal", "can_withdraw"),
        _grant("MessageApi", "can_get", "can_post"),
        *_menus("Pesan Saya", "Tambah Pesan"),
        *_SELF_SERVICE,
    )),
    # Anyone, signed in or not.
    Role(PUBLIC, frozenset(), _EVERYONE),
)
_BY_NAME = {role.name: role for role in ROLES}
ACCOUNT_ROLES = (SUPER_ADMIN, ADMIN, OPERATOR, USER)
# Roles a Super Admin gives to staff accounts (citizens register themselves).
STAFF_ACCOUNT_ROLES = (ADMIN, OPERATOR)


def fab_roles():
    """`FAB_ROLES` for Flask-AppBuilder: every pattern anchored at both ends, because
    FAB matches with `re.match` (a bare `MessageView` would grant `MessageViewAdmin`)."""
    declared = {}
    for role in ROLES:
        if role.every_permission:
            declared[role.name] = [[".*", ".*"]]
            continue
        declared[role.name] = [
            [f"^{re.escape(view)}$", "^(" + "|".join(map(re.escape, permissions)) + ")$"]
            for view, permissions in role.grants
        ]
    return declared


# --- who someone is ---------------------------------------------------------------

def role_names(user):
    """The names of `user`'s roles; nobody (anonymous, None) has none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(role.name for role in user.roles)


def roles_in_the_same_query():
    """Loader options for AppUser: its roles, and the groups that may bring more, in
    the same query (every request of a signed-in person reads them)."""
    return [joinedload(AppUser.roles), joinedload(AppUser.groups)]


def capabilities(user):
    found = set()
    for name in role_names(user):
        role = _BY_NAME.get(name)
        if role is not None:
            found |= role.can
    return frozenset(found)


def can(user, capability):
    return capability in capabilities(user)


def is_staff(user):
    """Staff read internal notes and need no verified email to work."""
    return can(user, Can.READ_INTERNAL)


def is_citizen(user):
    return can(user, Can.SUBMIT)


def audience(user):
    """Which home page a person gets: "triage", "operator", "citizen" or None."""
    held = capabilities(user)
    if Can.TRIAGE in held:
        return "triage"
    if Can.PROCESS in held:
        return "operator"
    if Can.SUBMIT in held:
        return "citizen"
    return None


def requires_opd(names):
    """Whether an account with these roles must belong to an OPD (and others must not)."""
    return any(Can.SEE_OPD in _BY_NAME[name].can for name in names if name in _BY_NAME)


def opds_of(user):
    """The OPDs a person works for (one today; a set so that several need no new code)."""
    opd_id = getattr(user, "opd_id", None)
    return frozenset({opd_id}) if opd_id is not None else frozenset()


# --- which messages ---------------------------------------------------------------

def opd_scope(user):
    """The OPDs whose messages `user` may see as staff: None for all, else a set."""
    held = capabilities(user)
    if Can.SEE_ALL in held:
        return None
    if Can.SEE_OPD in held:
        return opds_of(user)
    return frozenset()


def report_scope(user):
    """The OPDs whose figures `user` may count: None for all, else a (maybe empty) set."""
    return opd_scope(user)


def message_scope(user):
    """A WHERE clause selecting exactly the messages `user` may see."""
    held = capabilities(user)
    if Can.SEE_ALL in held:
        return true()
    conditions = []
    if Can.SEE_OPD in held:
        conditions.append(Message.opd_id.in_(sorted(opds_of(user))))
    if Can.SEE_OWN in held:
        conditions.append(Message.author_id == user.id)
    return or_(*conditions) if conditions else false()


def sees_only_own(user):
    """Whether `message_scope(user)` is exactly "the messages `user` wrote" (citizens),
    so that a statement written once for any author says the same."""
    held = capabilities(user)
    return Can.SEE_OWN in held and not held & {Can.SEE_ALL, Can.SEE_OPD}


def visible_messages(user):
    return select(Message).where(message_scope(user))


def holders(role_name, opd_id=None, *, active_only=True):
    """Accounts holding a role (of one OPD): who is told about an event."""
    query = select(AppUser).where(AppUser.roles.any(name=role_name))
    if active_only:
        query = query.where(AppUser.active.is_(True))
    if opd_id is not None:
        query = query.where(AppUser.opd_id == opd_id)
    return query


# --- the workflow's predicates (called by its RULES) --------------------------------

def may_submit(user):
    return can(user, Can.SUBMIT)


def may_triage(user, _message=None):
    return can(user, Can.TRIAGE)


def may_decide(user, _message=None):
    return can(user, Can.DECIDE)


def may_process(user, message):
    """An officer of the OPD the message is with."""
    return can(user, Can.PROCESS) and message.opd_id in opds_of(user)


def is_author(user, message):
    return user is not None and message.author_id == getattr(user, "id", None)


def is_system(user, _message=None):
    """Moves nobody makes by hand: the scheduled sweep acts as no user (None)."""
    return user is None


# --- what a person may search and sort lists by ---------------------------------------

# Columns of a message that say who wrote it: a list filtered or sorted by them would
# tell a person the author of a confidential message without showing it.
_IDENTITY_COLUMNS = frozenset({"author", "author_id"})


def may_query_column(user, model, column):
    """Whether `user` may filter or sort a list of `model` rows by `column` (a column
    name, or `relation.column`). Lists never reveal what the person may not read."""
    root = column.partition(".")[0]
    if model is Message and root in _IDENTITY_COLUMNS:
        return can(user, Can.SEE_IDENTITY)
    return True


# --- what a person may read of a message ---------------------------------------------

def sees_identity(user, message):
    """Operators do not learn who wrote a confidential message; nobody else is limited."""
    if is_author(user, message) or can(user, Can.SEE_IDENTITY):
        return True
    return not message.confidential


def author_details(user, message):
    """Name, email and phone of the author as `user` may see them."""
    if sees_identity(user, message):
        author = message.author
        return {
            "name": author.display_name,
            "email": author.email,
            "phone": author.phone or "",
            "confidential": False,
        }
    label = str(CONFIDENTIAL_LABEL)
    return {"name": label, "email": label, "phone": label, "confidential": True}


def actor_name(user, change):
    """Who made a timeline entry, as `user` may see it. The first entry's actor is the
    author: for a confidential message an operator gets the label, not the name."""
    actor = change.actor
    if actor is None:
        return str(SYSTEM_LABEL)
    message = change.message
    if actor.id == message.author_id and not sees_identity(user, message):
        return str(CONFIDENTIAL_LABEL)
    return actor.display_name


# Timeline entries whose note is addressed to staff even when the entry is public:
# the Admin's note to the OPD on a forward.
_STAFF_NOTES = {"forward"}


def visible_note(user, change):
    """The note of a timeline entry as `user` may read it (None when hidden)."""
    if change.kind in _STAFF_NOTES and not is_staff(user):
        return None
    return change.note


def sees_change(user, change):
    """Internal entries (and their files) are for staff only."""
    return change.public or is_staff(user)


def timeline_for(user, message):
    """The timeline entries `user` may read, oldest first."""
    return [change for change in message.changes if sees_change(user, change)]

"""The permission matrix: the four roles of the product, in one reviewable place.

Flask-AppBuilder checks these at run time (`FAB_ROLES`) with `re.match`, which only
anchors the start, so every pattern is written `^...$`. The database holds the role
rows (users point at them) but not these grants.

Object-level rules (a citizen's own messages, an operator's own OPD) are not
expressed here: they live in the loaders every view calls (`app/services/access.py`).
"""

SUPER_ADMIN = "Super Admin"
ADMIN = "Admin"
OPERATOR = "Operator"
USER = "User"
PUBLIC = "Public"

STAFF_ROLES = (SUPER_ADMIN, ADMIN, OPERATOR)
ALL_ROLES = (SUPER_ADMIN, ADMIN, OPERATOR, USER)

_CRUD_NO_DELETE = "^can_(list|show|add|edit)$"

# Pages everyone has, signed in or not.
_EVERYONE = [
    ["^PublicStatsView$", "^can_show$"],
    ["^Statistik$", "^menu_access$"],
]

# Self-service pages every signed-in person has.
_SELF_SERVICE = [
    ["^ProfileView$", "^can_(show|edit|password)$"],
    ["^AttachmentView$", "^can_download$"],
    *_EVERYONE,
]

ROLES = {
    # Diskominfo's application team: everything, including users and roles.
    SUPER_ADMIN: [[".*", ".*"]],
    # Provincial triage officers.
    ADMIN: [
        ["^OpdView$", _CRUD_NO_DELETE],
        ["^CategoryView$", "^can_(list|show)$"],
        ["^SubCategoryView$", _CRUD_NO_DELETE],
        ["^TriageView$", "^can_(list|show|escalate|reject|forward)$"],
        ["^ReportView$", "^can_(show|export)$"],
        ["^MessageApi$", "^can_(get|triage)$"],
        ["^Referensi$", "^menu_access$"],
        ["^Data OPD$", "^menu_access$"],
        ["^Kategori$", "^menu_access$"],
        ["^Subkategori$", "^menu_access$"],
        ["^Pesan$", "^menu_access$"],
        ["^Kotak Masuk$", "^menu_access$"],
        ["^Laporan$", "^menu_access$"],
        *_SELF_SERVICE,
    ],
    # An officer of one OPD: only that OPD's messages (enforced by the loaders).
    OPERATOR: [
        ["^OperatorView$", "^can_(list|show|start|progress|return|resolve)$"],
        ["^ReportView$", "^can_(show|export)$"],
        ["^MessageApi$", "^can_(get|process)$"],
        ["^Pesan$", "^menu_access$"],
        ["^Pesan OPD$", "^menu_access$"],
        ["^Laporan$", "^menu_access$"],
        *_SELF_SERVICE,
    ],
    # A citizen: their own messages only.
    USER: [
        ["^CitizenView$", "^can_(list|show|add|rate)$"],
        ["^MessageApi$", "^can_(get|post)$"],
        ["^Pesan Saya$", "^menu_access$"],
        ["^Tambah Pesan$", "^menu_access$"],
        *_SELF_SERVICE,
    ],
    # Anyone, signed in or not.
    PUBLIC: _EVERYONE,
}

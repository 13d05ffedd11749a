"""The signed-in user of a request, kept between requests while nothing of it changed.

Every signed-in request needs the user with their roles (and groups) as ORM objects:
Flask-AppBuilder's permission checks and `app.policy` read them. Building them is the
largest fixed cost of a request (SQLAlchemy's ORM turns one row into four objects),
while the database read itself is cheap. So each request still reads, in one Core
statement, everything the objects are made of: every column of the user's row, the
ids and names of their roles, their groups and their groups' roles, the site's page
revision (app/models/revision.py), and the session row's times. When that reading
equals the one the kept objects were built from, and the objects carry no change,
expired attribute or deleted state, the kept objects are put into this request's
database session again; otherwise they are loaded anew. A
change made anywhere (another worker, the admin screens, a password change) changes
the reading and is seen by the very next request, as before.

Kept per thread (a gunicorn sync worker has one; a threaded development server has
several, and an ORM object belongs to one session at a time) and per app.
"""

import threading
from datetime import datetime

from flask import current_app, g
from flask_appbuilder.security.sqla.models import (
    Role,
    assoc_group_role,
    assoc_user_group,
    assoc_user_role,
)
from sqlalchemy import String, bindparam, cast, func, inspect, literal_column, select
from sqlalchemy.pool import QueuePool

from ..extensions import db
from ..models import AppUser, LoginSession, PageRevision
from ..policy import roles_in_the_same_query

# Users kept per thread; a worker serving more people than this starts over.
_LIMIT = 512
_KEPT_RELATIONSHIPS = ("roles", "groups")
_statements = {}
_MAY_WAIT = "aspirasi_user_may_wait"


def _text(*columns):
    """The columns as one text, "a:b:c" (`||` on SQLite and PostgreSQL); the separator
    is written into the SQL, so that the only parameters are the user and the token."""
    text = cast(columns[0], String)
    for column in columns[1:]:
        text = text + literal_column("':'") + cast(column, String)
    return text


def _joined(text, dialect):
    """The texts of a group of rows joined with commas. The separator is written into
    the SQL (not a bound parameter, which SQLAlchemy would render anew each time)."""
    if dialect == "postgresql":
        return func.string_agg(text, literal_column("','"))
    return func.group_concat(text, literal_column("','"))


def _reading_statement(dialect):
    """The user's row, roles, groups and groups' roles, and the session's times."""
    if ("reading", dialect) not in _statements:
        user, login, role = AppUser.__table__, LoginSession.__table__, Role.__table__
        roles = (
            select(_joined(_text(role.c.id, role.c.name), dialect))
            .select_from(assoc_user_role.join(role, role.c.id == assoc_user_role.c.role_id))
            .where(assoc_user_role.c.user_id == user.c.id)
            .scalar_subquery()
        )
        groups = (
            select(_joined(_text(assoc_user_group.c.group_id), dialect))
            .where(assoc_user_group.c.user_id == user.c.id)
            .scalar_subquery()
        )
        group_roles = (
            select(_joined(_text(assoc_group_role.c.group_id, role.c.id, role.c.name), dialect))
            .select_from(
                assoc_user_group
                .join(assoc_group_role,
                      assoc_group_role.c.group_id == assoc_user_group.c.group_id)
                .join(role, role.c.id == assoc_group_role.c.role_id))
            .where(assoc_user_group.c.user_id == user.c.id)
            .scalar_subquery()
        )
        site = select(PageRevision.revision).scalar_subquery()
        _statements["reading", dialect] = (
            select(*user.c, roles, groups, group_roles, site, login.c.created_at,
                   login.c.last_seen_at)
            .join(login, login.c.user_id == user.c.id)
            .where(user.c.id == bindparam("user_id"),
                   login.c.token_hash == bindparam("token_hash"))
        )
    return _statements["reading", dialect]


def _user_statement():
    if "user" not in _statements:
        _statements["user"] = (
            select(AppUser).where(AppUser.id == bindparam("user_id"))
            .options(*roles_in_the_same_query())
        )
    return _statements["user"]


def _kept():
    local = current_app.extensions.get("aspirasi_known_users")
    if local is None:
        local = current_app.extensions.setdefault("aspirasi_known_users", threading.local())
    users = getattr(local, "users", None)
    if users is None:
        users = local.users = {}
    return users


def _compiled_reading(dialect):
    """The reading's SQL for `dialect`, and the order of its two parameters when the
    driver takes them by position (None: by name)."""
    if ("compiled", dialect.name) not in _statements:
        compiled = _reading_statement(dialect.name).compile(dialect=dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        _statements["compiled", dialect.name] = (str(compiled), order)
    return _statements["compiled", dialect.name]


def _read(user_id, token_hash):
    """The reading's row, or None. Run by the database driver itself on a connection of
    the pool, not in the database session: the values are only compared (SQLAlchemy's
    result processing would cost more than the query), bar the session's two times; and
    a page kept as drawn (views/kept_pages.py) then needs no session transaction at all.
    Returning the connection to the pool ends the reading's transaction."""
    engine = db.engine
    sql, order = _compiled_reading(engine.dialect)
    values = {"user_id": user_id, "token_hash": token_hash}
    parameters = tuple(values[name] for name in order) if order else values
    if not isinstance(engine.pool, QueuePool):
        # One connection per thread (SQLite in memory): the pool would hand out the
        # session's own, and returning it would end the session's transaction.
        return _fetch(db.session.connection().connection, sql, parameters)
    connection = engine.raw_connection()
    try:
        return _fetch(connection, sql, parameters)
    finally:
        connection.close()


def _fetch(connection, sql, parameters):
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchone()
    finally:
        cursor.close()


def _moment(value):
    """A stored time as the driver gives it (SQLite: text) as a naive datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def signed_in(user_id, token_hash):
    """(user, session created_at, session last_seen_at) of a live session row naming
    `user_id`, or None when there is no such row."""
    row = _read(user_id, token_hash)
    if row is None:
        return None
    reading, created_at, last_seen_at = tuple(row[:-2]), _moment(row[-2]), _moment(row[-1])
    g.aspirasi_user_reading = reading
    users = _kept()
    kept = users.get(user_id)
    if kept is not None and kept[0] == reading and _reusable(kept[1]):
        user = kept[1]
        if g.get(_MAY_WAIT) and not inspect(user).dict["groups"]:
            g.aspirasi_unattached_user = user  # until `attach()`, if ever
            return user, created_at, last_seen_at
        if _attach(user):  # no SQL: the objects come back as they were read
            return user, created_at, last_seen_at
    user = db.session.execute(_user_statement(), {"user_id": user_id}).unique().scalar()
    if user is None:  # deleted since the reading
        return None
    if len(users) >= _LIMIT:
        users.clear()
    users[user_id] = (reading, user)
    return user, created_at, last_seen_at


def _reusable(user):
    """Whether the kept objects are exactly as they were read: detached (the last
    request's session is closed), with no change, expiry or deletion on the user or on
    its roles and groups. Any other relation loaded meanwhile is forgotten (read anew
    when asked for): only the user's own row and memberships are in the reading."""
    state = inspect(user)
    if not _clean(state) or any(key not in state.dict for key in _KEPT_RELATIONSHIPS):
        return False
    related = [*state.dict["roles"], *state.dict["groups"]]
    if not all(_clean(inspect(item)) for item in related):
        return False
    _forget_other_relations(state, keep=_KEPT_RELATIONSHIPS)
    for item in related:
        _forget_other_relations(inspect(item), keep=())
    return True


def attach_later():
    """Leave the user this request reads out of its database session until `attach()`:
    for a page that may be served as kept (views/kept_pages.py), which then needs no
    session at all. Only a user without groups waits (FAB reads a group's roles through
    the session); nothing but their loaded columns and roles may be read meanwhile."""
    g.setdefault(_MAY_WAIT, True)


def waiting(user):
    """Whether `user` is this request's signed-in user, left out of the session."""
    return g.get("aspirasi_unattached_user") is user


def attach():
    """Put the user left out by `attach_later()` into this request's database session
    (when the session already holds another copy of them, that copy becomes the
    signed-in user)."""
    user = g.pop("aspirasi_unattached_user", None)
    if user is not None and not _attach(user):
        present = db.session.identity_map.get(inspect(user).key)
        g.user = g._login_user = present  # Flask-Login's own record of the user


def _attach(user):
    """Put the kept user, roles and groups into this request's database session, as
    `Session.add` does but without walking every relationship of each for its cascade
    (a third of the cost): `_reusable` has just checked that these are all the objects
    loaded. SQLAlchemy's own step of `add` for one object (pinned version). False (and
    nothing done) when the session already holds another copy of the user."""
    session = db.session()
    state = inspect(user)
    if state.key in session.identity_map:
        return False
    related = [item for key in _KEPT_RELATIONSHIPS for item in state.dict[key]]
    for item_state in (state, *(inspect(item) for item in related)):
        session._save_or_update_impl(item_state)
    return True


def _clean(state):
    return (state.detached and not state.expired_attributes and not state.modified
            and not state.was_deleted)


def _forget_other_relations(state, keep):
    for relationship in state.mapper.relationships:
        if relationship.key in state.dict and relationship.key not in keep:
            del state.dict[relationship.key]


def reading():
    """What this request read of the signed-in user (every column of their row, their
    roles and groups, the site's page revision): equal readings, equal pages. None
    when nobody is signed in."""
    return g.get("aspirasi_user_reading")

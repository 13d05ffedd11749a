"""When a page drawn earlier is stale: the revisions kept pages are keyed by.

- `AppUser.pages_revision`: bumped in the same transaction as any change to one of the
  person's own messages, its timeline, attachments or rating, whoever makes it (the
  citizen, an operator, the Super Admin, the sweep, a recompute).
- `PageRevision` (one row): bumped with any change to what every page may show: the
  names of OPDs, categories and subcategories, the holiday calendar, the service
  levels, due dates recomputed for everyone.

ORM changes are caught after each flush (`after_flush`), so no move has to remember to
bump anything; writers that go around the ORM (the due-date recompute, `generate`)
call `site_changed` themselves.
"""

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    AppUser,
    Attachment,
    Category,
    HolidayOverride,
    Message,
    Opd,
    PageRevision,
    Rating,
    ServiceLevel,
    StatusChange,
    SubCategory,
)
from ..models.revision import THE_ROW

_OF_A_MESSAGE = (StatusChange, Attachment, Rating)
_SHOWN_EVERYWHERE = (Opd, Category, SubCategory, HolidayOverride, ServiceLevel)


def site_changed(connection=None):
    """Bump the site's revision, in the transaction of `connection` (the database
    session's by default): for writers that go around the ORM."""
    _bump_site(connection or db.session.connection())


def _bump_authors(connection, authors):
    connection.execute(
        update(AppUser.__table__)
        .where(AppUser.__table__.c.id.in_(authors))
        .values(pages_revision=AppUser.__table__.c.pages_revision + 1))


def _bump_site(connection):
    table = PageRevision.__table__
    bumped = connection.execute(
        update(table).where(table.c.id == THE_ROW).values(revision=table.c.revision + 1))
    if bumped.rowcount == 0:  # a database made without the migration's row
        connection.execute(insert(table).values(id=THE_ROW, revision=1))


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session, flush_context):
    authors, message_ids, site = set(), set(), False
    for item in (*session.new, *session.dirty, *session.deleted):
        if isinstance(item, Message):
            authors.add(item.author_id)
        elif isinstance(item, _OF_A_MESSAGE):
            message_ids.add(item.message_id)
        elif isinstance(item, _SHOWN_EVERYWHERE):
            site = True
    if not (authors or message_ids or site):
        return
    connection = session.connection()
    if message_ids:
        authors.update(connection.execute(
            select(Message.author_id).where(Message.id.in_(sorted(message_ids)))).scalars())
    authors.discard(None)
    if authors:
        _bump_authors(connection, sorted(authors))
    if site:
        _bump_site(connection)

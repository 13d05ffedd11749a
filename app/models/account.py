"""The FAB user, extended with what Aspirasi Etam needs to know of a person."""

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .opd import Opd


class AppUser(User):
    """Citizens and staff alike. `username` is the lower-cased email."""

    __tablename__ = "ab_user"
    __table_args__ = {"extend_existing": True}

    full_name: Mapped[Optional[str]] = mapped_column(String(150))
    phone: Mapped[Optional[str]] = mapped_column(String(30))
    opd_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opd.id"), index=True)
    email_verified_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    locale: Mapped[Optional[str]] = mapped_column(String(5))
    # Bumped on every password change: sessions and reset links carry it, so a
    # change ends every other session and voids every outstanding link.
    auth_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Bumped whenever anything of this person's own messages changes (any move, answer,
    # rating, attachment, due date): the pages drawn for them earlier are then stale
    # (app/services/page_revisions.py, app/views/kept_pages.py).
    pages_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    opd: Mapped[Optional[Opd]] = relationship(foreign_keys=[opd_id])

    @property
    def display_name(self):
        return self.full_name or " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def role_names(self):
        return {role.name for role in self.roles}

    def has_role(self, name):
        return name in self.role_names

    def get_id(self):
        # Flask-Login stores this in the session; see AspirasiSecurityManager.load_user.
        return f"{self.id}:{self.auth_version or 1}"

    def __repr__(self):
        return self.display_name or self.email


class LoginSession(Model):
    """A signed-in browser session, so that the server can end it (logout, password
    change, idle and absolute timeouts). The signed cookie carries a random token;
    only its SHA-256 is stored here, so a copy of this table opens no session."""

    __tablename__ = "login_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Written at most once a minute per session (SESSION_TOUCH_SECONDS), not per request.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)

"""A citizen's message, its timeline, its files and its rating."""

import enum
import secrets
from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..timeutil import to_local, utcnow
from .account import AppUser
from .opd import Category, Opd, SubCategory


class Status(enum.StrEnum):
    BARU = "baru"
    ESKALASI = "eskalasi"
    DITERUSKAN = "diteruskan"
    DIPROSES = "diproses"
    SELESAI = "selesai"
    DITOLAK = "ditolak"
    MENUNGGU = "menunggu"  # a question to the sender awaits their answer
    DIBATALKAN = "dibatalkan"  # withdrawn by the sender before triage

    @property
    def label(self):
        return STATUS_LABELS[self]

    @classmethod
    def open_statuses(cls):
        """"Sedang ditangani" in reports: neither done, rejected nor withdrawn."""
        return [s for s in cls if s not in cls.closed_statuses()]

    @classmethod
    def closed_statuses(cls):
        return (cls.SELESAI, cls.DITOLAK, cls.DIBATALKAN)


class Move(enum.StrEnum):
    """The workflow's moves: also the `kind` of each timeline entry they write."""

    SUBMIT = "submit"
    FORWARD = "forward"
    ESCALATE = "escalate"
    REJECT = "reject"
    START = "start"
    PROGRESS = "progress"
    NOTE = "note"
    RETURN = "return"
    RESOLVE = "resolve"
    # The sender's voice (issue 14).
    ASK = "ask"  # staff ask the sender a question: `menunggu`
    ANSWER = "answer"  # the sender answers: back to where it was
    AUTO_CLOSE = "auto_close"  # no answer in time: finished automatically
    ADD_INFO = "add_info"  # the sender adds information to an open message
    REOPEN = "reopen"  # the sender reopens a resolution: back to the OPD
    APPEAL = "appeal"  # the sender appeals an Admin's rejection: to the Super Admin
    WITHDRAW = "withdraw"  # the sender withdraws a message not yet triaged
    # The Super Admin's staff-only instruction to the OPD of an overdue message.
    INSTRUCT = "instruct"
    # Entries the deadline sweep writes, with no human actor ("Sistem").
    REMIND = "remind"
    OVERDUE = "overdue"
    FLAG = "flag"


def one_of(column, values):
    """A CHECK condition: `column` holds one of `values` (or NULL, where nullable).
    Adding a status or a move needs a migration that widens the constraint."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


STATUS_LABELS = {
    # msgids are English; the id catalog gives the seed's words (Baru, Menunggu
    # keputusan, Diteruskan ke OPD, Sedang diproses, Selesai, Ditolak).
    Status.BARU: _l("New"),
    Status.ESKALASI: _l("Awaiting decision"),
    Status.DITERUSKAN: _l("Forwarded to OPD"),
    Status.DIPROSES: _l("In progress"),
    Status.SELESAI: _l("Resolved"),
    Status.DITOLAK: _l("Rejected"),
    Status.MENUNGGU: _l("Waiting for the sender's answer"),
    Status.DIBATALKAN: _l("Withdrawn by the sender"),
}


class Message(Model):
    __tablename__ = "message"
    __table_args__ = (
        # Lists and reports filter by date, status and OPD; see bench/ for plans.
        Index("ix_message_report", "created_at", "opd_id", "category_id", "status"),
        Index("ix_message_status_created", "status", "created_at"),
        Index("ix_message_opd_created", "opd_id", "created_at"),
        Index("ix_message_author_created", "author_id", "created_at"),
        # The running clock's due time: "Terlambat" lists, sorting, the deadline sweep.
        Index("ix_message_due", "due_at"),
        Index("ix_message_opd_due", "opd_id", "due_at"),
        # The Super Admin's queue: only flagged messages, in due order (a partial index).
        Index("ix_message_flagged", "due_at", sqlite_where=text("flagged_at IS NOT NULL"),
              postgresql_where=text("flagged_at IS NOT NULL")),
        # The status machine, guarded by the database too (app/workflow/ moves it).
        CheckConstraint(one_of("status", Status), name="ck_message_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[Optional[str]] = mapped_column(String(200))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    author_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("category.id"))
    subcategory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("subcategory.id"))
    opd_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opd.id"))
    status: Mapped[str] = mapped_column(String(20), default=Status.BARU)
    # Set when an OPD returned the message to triage; cleared on the next forward.
    returned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    resolution: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Milestones kept on the row so that the speed report needs no timeline scan.
    forwarded_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    first_response_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # The sender's voice: the status a question interrupted (and when it was asked),
    # finished for want of an answer, how often reopened, when a rejection was appealed.
    waiting_from: Mapped[Optional[str]] = mapped_column(String(20))
    asked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reopen_count: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    appealed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # The resolution clock started again by a reopening (app/services/deadlines.py):
    # when it started and when it is due.
    reopened_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    reopen_due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # The clocks (app/services/deadlines.py keeps them; every workflow move refreshes
    # them). Triage runs from submission (or a return) to forward or reject; the OPD's
    # first response and resolution from the latest forwarding. `*_days` are the
    # limits taken when the clock started, `*_due_at` its due time (NULL: not running;
    # the OPD's stay after they stop, for the report).
    triage_from: Mapped[Optional[datetime]] = mapped_column(DateTime)
    triage_days: Mapped[Optional[int]] = mapped_column(SmallInteger)
    triage_due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    opd_from: Mapped[Optional[datetime]] = mapped_column(DateTime)
    response_days: Mapped[Optional[int]] = mapped_column(SmallInteger)
    response_due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    opd_response_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    resolution_days: Mapped[Optional[int]] = mapped_column(SmallInteger)
    resolution_due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    opd_resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # The current stage's clock and its due time (NULL when none runs or it is paused).
    due_clock: Mapped[Optional[str]] = mapped_column(String(20))
    due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # Waiting for the citizen: the clocks stand still from `paused_at`; the working
    # days they stood still move the running clocks (`clock_paused_days`) and add up
    # over the message's life (`paused_days`).
    paused_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    clock_paused_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paused_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Long overdue: in the Super Admin's "Terlambat" queue until the stage's action.
    flagged_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # Optimistic lock: a concurrent update of a stale row fails instead of winning.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    author: Mapped[AppUser] = relationship(foreign_keys=[author_id])
    category: Mapped[Optional[Category]] = relationship()
    subcategory: Mapped[Optional[SubCategory]] = relationship()
    opd: Mapped[Optional[Opd]] = relationship()
    changes: Mapped[list["StatusChange"]] = relationship(
        back_populates="message", order_by="StatusChange.id"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        primaryjoin="and_(Attachment.message_id == Message.id,"
        " Attachment.status_change_id == None)",
        viewonly=True,
        order_by="Attachment.id",
    )
    rating: Mapped[Optional["Rating"]] = relationship(back_populates="message")

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self):
        return Status(self.status)

    @property
    def status_label(self):
        return Status(self.status).label

    def __repr__(self):
        return self.code or f"#{self.id}"


def tracking_code(message_id, created_at):
    """`AE-2026-000123`: the local year of submission and the row's number. The codes of
    older messages and of generated data; they keep working, but anyone can walk them,
    so the workflow gives new messages `random_tracking_code`s."""
    return f"AE-{to_local(created_at).year}-{message_id:06d}"


# 32 characters without look-alikes (no 0/O, 1/I): 8 of them carry 40 random bits.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def random_tracking_code(created_at, choose=secrets.choice):
    """`AE-2026-7KQ4-M9XT`: the local year and 40 random bits, in two groups of four.
    It cannot collide with a row-number code (those have one group of six digits)."""
    part = "".join(choose(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"AE-{to_local(created_at).year}-{part[:4]}-{part[4:]}"


def normal_code(text):
    """A code as a person may type it (spaces, lower case) in its stored form; None
    when it cannot be one."""
    text = "".join((text or "").split()).upper()
    if not text.startswith("AE-") or len(text) > 20:
        return None
    return text


class StatusChange(Model):
    """One entry of a message's timeline. Written once, never edited."""

    __tablename__ = "status_change"
    __table_args__ = (
        Index("ix_status_change_message", "message_id", "id"),
        CheckConstraint(one_of("kind", Move), name="ck_status_change_kind"),
        CheckConstraint(one_of("from_status", Status), name="ck_status_change_from_status"),
        CheckConstraint(one_of("to_status", Status), name="ck_status_change_to_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[Optional[str]] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[Optional[str]] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    opd_id: Mapped[Optional[int]] = mapped_column(ForeignKey("opd.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="changes")
    actor: Mapped[Optional[AppUser]] = relationship()
    opd: Mapped[Optional[Opd]] = relationship()
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="status_change", order_by="Attachment.id"
    )


class Attachment(Model):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    status_change_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("status_change.id"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    status_change: Mapped[Optional[StatusChange]] = relationship(back_populates="attachments")


class Rating(Model):
    __tablename__ = "rating"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="ck_rating_stars"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), unique=True)
    stars: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="rating")

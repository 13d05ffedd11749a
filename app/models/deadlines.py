"""The working-day calendar's local changes, the service levels, and the claims that
make each deadline notice go out once."""

from datetime import date, datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..timeutil import utcnow
from .opd import Category, SubCategory


class HolidayOverride(Model):
    """An Admin's change to the national calendar: a day off it lacks (a regional
    holiday, a new joint leave day), or a listed day made a working day again."""

    __tablename__ = "holiday_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(150))
    # True: a working day although the national calendar lists it (cancelled leave).
    working: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self):
        return f"{self.day.isoformat()} {self.name}"


class ServiceLevel(Model):
    """The limits in working days of one category, or of one subcategory of it
    (which then overrides its category's)."""

    __tablename__ = "service_level"
    __table_args__ = (
        CheckConstraint("triage_days BETWEEN 1 AND 365 AND response_days BETWEEN 1 AND 365 "
                        "AND resolution_days BETWEEN 1 AND 365", name="ck_service_level_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    subcategory_id: Mapped[Optional[int]] = mapped_column(ForeignKey("subcategory.id"))
    triage_days: Mapped[int] = mapped_column(SmallInteger, default=3)
    response_days: Mapped[int] = mapped_column(SmallInteger, default=5)
    resolution_days: Mapped[int] = mapped_column(SmallInteger, default=14)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship()
    subcategory: Mapped[Optional[SubCategory]] = relationship()

    def __repr__(self):
        return f"{self.category} / {self.subcategory or '*'}"


# One level per category and one per subcategory (NULL counts as one value here).
Index("uq_service_level_scope", ServiceLevel.category_id,
      func.coalesce(ServiceLevel.subcategory_id, 0), unique=True)


class DeadlineNotice(Model):
    """A reminder, overdue notice or flag sent for one run of one clock. The unique
    key is the claim: of two workers sweeping at once, only one inserts it."""

    __tablename__ = "deadline_notice"
    __table_args__ = (
        UniqueConstraint("message_id", "clock", "clock_from", "kind",
                         name="uq_deadline_notice_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    clock: Mapped[str] = mapped_column(String(20))
    clock_from: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

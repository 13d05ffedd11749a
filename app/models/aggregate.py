"""Daily aggregates of the messages, kept up to date with them (app/services/aggregates.py).

Every row is keyed by a grain and the local (WITA) day of submission: grain `day` holds
one local day, `month` (`year`) the whole month (year) that starts on `day`. All three are
written by every change, so a report reads whole years, then whole months, then the days
at its edges. "No OPD" and "no category" are stored as 0: a primary key cannot hold
NULL, and an upsert needs a key.
"""

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .message import Status, one_of

DAY, MONTH, YEAR = "day", "month", "year"
GRAINS = (DAY, MONTH, YEAR)


class CountAggregate(Model):
    """How many messages of a day (or month) have this OPD, category and status now,
    how many of them were rated with how many stars in all, resolved by their OPD (and
    then reopened by the sender), appealed. Further counts are added as columns with a
    server default of 0."""

    __tablename__ = "aggregate_count"
    __table_args__ = (
        CheckConstraint(one_of("grain", GRAINS), name="ck_aggregate_count_grain"),
        CheckConstraint(one_of("status", Status), name="ck_aggregate_count_status"),
        {"sqlite_with_rowid": False},  # the key is the order the report reads in
    )

    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: no OPD
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: none yet
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ratings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stars: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reopened: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    appealed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DurationAggregate(Model):
    """How many forwarded messages of a day (or month) and OPD reached `milestone`
    (1 forwarded, 2 first response, 3 resolved) within duration bucket `bucket`
    (app/services/aggregates_tally.py: `bucket_of`); milestones 4 and 5: the working
    days from the latest forwarding to the OPD's first response and resolution, the
    bucket being the number of days."""

    __tablename__ = "aggregate_duration"
    __table_args__ = (
        CheckConstraint(one_of("grain", GRAINS), name="ck_aggregate_duration_grain"),
        {"sqlite_with_rowid": False},
    )

    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ClockAggregate(Model):
    """How many messages of a day (or month) and OPD assigned to it had clock `clock`
    (1 first response, 2 resolution) end on time (outcome 1) or late (2), or have it
    waiting for the sender (3) or still running with due time `due_at` (4: late or not
    yet due depends on when the report is read). `due_at` is 1970-01-01 but for 4."""

    __tablename__ = "aggregate_clock"
    __table_args__ = (
        CheckConstraint(one_of("grain", GRAINS), name="ck_aggregate_clock_grain"),
        {"sqlite_with_rowid": False},
    )

    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opd_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clock: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    outcome: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    due_at: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

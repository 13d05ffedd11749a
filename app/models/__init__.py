"""The data model. Every table hangs off Flask-AppBuilder's `Model` metadata, so
Alembic sees the security tables and ours as one schema."""

from .account import AppUser, LoginSession
from .aggregate import ClockAggregate, CountAggregate, DurationAggregate
from .deadlines import DeadlineNotice, HolidayOverride, ServiceLevel
from .idempotency import IdempotencyKey
from .message import (
    Attachment,
    Message,
    Move,
    Rating,
    Status,
    StatusChange,
    normal_code,
    random_tracking_code,
    tracking_code,
)
from .opd import Category, Opd, SubCategory
from .outbox import OutboxEmail
from .revision import PageRevision

__all__ = [
    "AppUser",
    "Attachment",
    "Category",
    "ClockAggregate",
    "CountAggregate",
    "DeadlineNotice",
    "DurationAggregate",
    "HolidayOverride",
    "IdempotencyKey",
    "LoginSession",
    "Message",
    "Move",
    "Opd",
    "OutboxEmail",
    "PageRevision",
    "Rating",
    "ServiceLevel",
    "Status",
    "StatusChange",
    "SubCategory",
    "normal_code",
    "random_tracking_code",
    "tracking_code",
]

"""The data model. Every table hangs off Flask-AppBuilder's `Model` metadata, so
Alembic sees the security tables and ours as one schema."""

from .account import AppUser, LoginSession
from .aggregate import CountAggregate, DurationAggregate
from .idempotency import IdempotencyKey
from .message import Attachment, Message, Move, Rating, Status, StatusChange, tracking_code
from .opd import Category, Opd, SubCategory
from .outbox import OutboxEmail

__all__ = [
    "AppUser",
    "Attachment",
    "Category",
    "CountAggregate",
    "DurationAggregate",
    "IdempotencyKey",
    "LoginSession",
    "Message",
    "Move",
    "Opd",
    "OutboxEmail",
    "Rating",
    "Status",
    "StatusChange",
    "SubCategory",
    "tracking_code",
]

"""Keys that make a submission happen once, however often it is retried."""

from datetime import datetime
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..timeutil import utcnow


class IdempotencyKey(Model):
    """A person's key (the web form's one-time token, or the API's Idempotency-Key
    header), the fingerprint of the request first sent with it, and its result."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),
        Index("ix_idempotency_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

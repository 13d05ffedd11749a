"""The report's figures of the sender's voice: per OPD, how many resolved messages the
sender reopened; and how many rejections were appealed. Two small aggregates over the
period, scoped like the rest of the report (`reports.build_report` passes its scope).
"""

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Message


@dataclass
class ReopenRow:
    """Of an OPD's messages resolved at least once, how many were reopened (and share)."""

    name: str
    resolved: int
    reopened: int

    @property
    def percent(self):
        return round(self.reopened * 100 / self.resolved) if self.resolved else 0


def reopen_rows(scoped, opd_names):
    """`scoped(query)` narrows a query to the report's period and OPDs."""
    query = scoped(
        select(Message.opd_id, func.count(),
               func.sum(case((Message.reopen_count > 0, 1), else_=0)))
        .where(Message.opd_id.is_not(None), Message.resolved_at.is_not(None))
    ).group_by(Message.opd_id)
    rows = [ReopenRow(opd_names.get(oid, f"#{oid}"), resolved, int(reopened or 0))
            for oid, resolved, reopened in db.session.execute(query).all()]
    return sorted(rows, key=lambda r: (-r.reopened, r.name))


def appeal_count(scoped):
    return db.session.scalar(
        scoped(select(func.count()).select_from(Message))
        .where(Message.appealed_at.is_not(None))) or 0

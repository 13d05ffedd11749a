"""On-time figures of a report: per OPD and overall, for the messages of the period
(by submission date), counting only the OPD each message was last forwarded to.

- first response in time: the OPD's first public action after the latest forwarding
  came before its due time; late: it came after, or has not come and the due time
  has passed; "belum jatuh tempo": not come and not due yet (or waiting for the
  citizen). The percent is of those on time or late.
- resolution in time: the same with the (first) resolution.
- the median working days from forwarding to the first response and to resolution.

The counts are one GROUP BY over the period; the medians read two timestamps per
answered message and count working days with the calendar (services/calendar.py).
"""

import statistics
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..models import Message
from ..timeutil import utcnow
from . import calendar


@dataclass
class OnTimeRow:
    name: str
    response_on_time: int = 0
    response_late: int = 0
    response_pending: int = 0
    resolution_on_time: int = 0
    resolution_late: int = 0
    resolution_pending: int = 0
    median_days_to_response: float | None = None
    median_days_to_resolution: float | None = None
    overall: bool = False

    @staticmethod
    def _percent(on_time, late):
        return None if on_time + late == 0 else int(on_time * 100 / (on_time + late) + 0.5)

    @property
    def response_percent(self):
        return self._percent(self.response_on_time, self.response_late)

    @property
    def resolution_percent(self):
        return self._percent(self.resolution_on_time, self.resolution_late)

    def as_dict(self):
        return {
            "name": self.name, "overall": self.overall,
            "response_on_time": self.response_on_time, "response_late": self.response_late,
            "response_not_yet_due": self.response_pending,
            "response_on_time_percent": self.response_percent,
            "resolution_on_time": self.resolution_on_time,
            "resolution_late": self.resolution_late,
            "resolution_not_yet_due": self.resolution_pending,
            "resolution_on_time_percent": self.resolution_percent,
            "median_working_days_to_first_response": self.median_days_to_response,
            "median_working_days_to_resolution": self.median_days_to_resolution,
        }


def _outcomes(done, due, now):
    """SUM()s of (on time, late, not yet due) of one clock."""
    waiting = Message.paused_at.is_not(None)
    on_time = and_(done.is_not(None), done <= due)
    late = or_(done > due, and_(done.is_(None), due < now, ~waiting))
    pending = and_(done.is_(None), or_(due >= now, waiting))
    return [func.sum(case((condition, 1), else_=0)) for condition in (on_time, late, pending)]


def on_time_rows(scoped, opd_names, now=None):
    """The rows per OPD (by name) and, last, the overall row. `scoped(query)` limits a
    query to the report's period and OPDs (reports._scoped)."""
    now = now or utcnow()
    # Messages finished for want of an answer are left out (issue 14).
    assigned = and_(Message.opd_id.is_not(None), Message.opd_from.is_not(None),
                    Message.response_due_at.is_not(None), Message.auto_closed.is_(False))
    counts = db.session.execute(scoped(
        select(Message.opd_id,
               *_outcomes(Message.opd_response_at, Message.response_due_at, now),
               *_outcomes(Message.opd_resolved_at, Message.resolution_due_at, now))
    ).where(assigned).group_by(Message.opd_id)).all()
    rows = {oid: OnTimeRow(opd_names.get(oid, f"#{oid}"), *(int(v or 0) for v in values))
            for oid, *values in counts}
    if not rows:
        return []
    overall = OnTimeRow(_("All OPDs"), overall=True)
    for row in rows.values():
        for name in ("response_on_time", "response_late", "response_pending",
                     "resolution_on_time", "resolution_late", "resolution_pending"):
            setattr(overall, name, getattr(overall, name) + getattr(row, name))
    _medians(scoped, assigned, rows, overall)
    return [*sorted(rows.values(), key=lambda r: r.name), overall]


def _medians(scoped, assigned, rows, overall):
    cal = calendar.load()
    answered = db.session.execute(scoped(
        select(Message.opd_id, Message.opd_from, Message.opd_response_at,
               Message.opd_resolved_at)
    ).where(assigned, Message.opd_response_at.is_not(None))).all()
    days = {}
    for oid, start, response, resolved in answered:
        first = cal.local_day(start)
        per_opd = days.setdefault(oid, ([], []))
        per_opd[0].append(cal.working_days_between(first, cal.local_day(response)))
        if resolved is not None:
            per_opd[1].append(cal.working_days_between(first, cal.local_day(resolved)))
    everyone = ([], [])
    for oid, (responses, resolutions) in days.items():
        rows[oid].median_days_to_response = _median(responses)
        rows[oid].median_days_to_resolution = _median(resolutions)
        everyone[0].extend(responses)
        everyone[1].extend(resolutions)
    overall.median_days_to_response = _median(everyone[0])
    overall.median_days_to_resolution = _median(everyone[1])


def _median(values):
    return float(statistics.median(values)) if values else None


def on_time_sentence(report):
    """"… 83 % ditanggapi tepat waktu": the overall first-response figure, if any."""
    overall = next((row for row in report.on_time if row.overall), None)
    if overall is None or overall.response_percent is None:
        return None
    text = _("Of the %(n)d messages whose first response was due or given, %(pct)d%% were "
             "answered on time", n=overall.response_on_time + overall.response_late,
             pct=overall.response_percent)
    if overall.resolution_percent is not None:
        text += _(", and %(pct)d%% of those due for resolution were resolved on time",
                  pct=overall.resolution_percent)
    return text + "."

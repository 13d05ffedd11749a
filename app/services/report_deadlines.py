"""On-time figures of a report: per OPD and overall, for the messages of the period
(by submission date), counting only the OPD each message was last forwarded to.

- first response in time: the OPD's first public action after the latest forwarding
  came before its due time; late: it came after, or has not come and the due time
  has passed; "belum jatuh tempo": not come and not due yet (or waiting for the
  citizen). The percent is of those on time or late.
- resolution in time: the same with the (first) resolution.
- the median working days from forwarding to the first response and to resolution.

Everything is read from the daily aggregates (app/services/aggregates_tally.py): the
outcomes per clock, the due times of the clocks still running (late or not yet due
depends on the moment of reading) and histograms of the working days, exact.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from ..timeutil import utcnow
from .aggregates_read import histogram_median, merged
from .aggregates_tally import (
    LATE,
    ON_TIME,
    RESPONSE,
    RUNNING,
    TO_RESOLUTION_DAYS,
    TO_RESPONSE_DAYS,
    WAITING,
)


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


def on_time_rows(clocks, durations, opd_names, now=None):
    """The rows per OPD (by name) and, last, the overall row, from the period's
    aggregates: `clocks` {(opd_id, clock, outcome, due_at): n} and `durations`
    {(opd_id, milestone): {bucket: n}} (app/services/aggregates_read.py). A clock still
    running is late once its due time has passed `now`, else not yet due."""
    now = now or utcnow()
    rows = {}
    for (oid, clock, outcome, due_at), n in clocks.items():
        row = rows.get(oid)
        if row is None:
            row = rows[oid] = OnTimeRow(opd_names.get(oid, f"#{oid}"))
        if outcome == RUNNING:
            outcome = LATE if due_at < now else WAITING
        name = {ON_TIME: "on_time", LATE: "late", WAITING: "pending"}[outcome]
        name = f"{'response' if clock == RESPONSE else 'resolution'}_{name}"
        setattr(row, name, getattr(row, name) + n)
    if not rows:
        return []
    overall = OnTimeRow(_("All OPDs"), overall=True)
    for row in rows.values():
        for name in ("response_on_time", "response_late", "response_pending",
                     "resolution_on_time", "resolution_late", "resolution_pending"):
            setattr(overall, name, getattr(overall, name) + getattr(row, name))
    # The working-day histograms' buckets are the days themselves.
    for milestone, attribute in ((TO_RESPONSE_DAYS, "median_days_to_response"),
                                 (TO_RESOLUTION_DAYS, "median_days_to_resolution")):
        of_opds = {oid: durations[(oid, milestone)] for oid in rows
                   if (oid, milestone) in durations}
        for oid, histogram in of_opds.items():
            setattr(rows[oid], attribute, histogram_median(histogram))
        setattr(overall, attribute, histogram_median(merged(of_opds.values())))
    return [*sorted(rows.values(), key=lambda r: r.name), overall]


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

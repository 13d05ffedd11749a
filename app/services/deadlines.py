"""The clocks of a message, in working days (app/services/calendar.py).

Three clocks, each with the limit of the message's service level taken when it starts:
- triage: from submission (or the OPD's return) until forward or reject (for an
  escalated message, the Super Admin's decision);
- response: from the latest forwarding until the OPD's first public action (start, a
  public update, a question to the citizen, the resolution);
- resolution: from the latest forwarding until the resolution; a reopening runs it
  again from the reopening (`reopened_at`, `reopen_due_at`), while the first
  resolution's facts stay for the on-time figures.

The workflow's moves call the functions below (start/stop/pause/resume); each leaves
the message's `due_at`/`due_clock` (the current stage) up to date. A return to triage
ends the OPD's clocks; the next forwarding starts them afresh.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import bindparam, or_, select, update

from ..extensions import db
from ..models import Message, ServiceLevel, Status
from . import calendar, page_revisions

TRIAGE = "triage"
RESPONSE = "response"
RESOLUTION = "resolution"
CLOCKS = (TRIAGE, RESPONSE, RESOLUTION)


@dataclass(frozen=True)
class Levels:
    triage: int = 3
    response: int = 5
    resolution: int = 14


DEFAULT_LEVELS = Levels()


def levels_for(category_id, subcategory_id):
    """The limits of a subcategory, else of its category, else the defaults."""
    if category_id is None:
        return DEFAULT_LEVELS
    with db.session.no_autoflush:
        rows = db.session.scalars(select(ServiceLevel).where(
            ServiceLevel.category_id == category_id,
            or_(ServiceLevel.subcategory_id.is_(None),
                ServiceLevel.subcategory_id == subcategory_id))).all()
    rows.sort(key=lambda row: row.subcategory_id is None)
    if not rows:
        return DEFAULT_LEVELS
    row = rows[0]
    return Levels(row.triage_days, row.response_days, row.resolution_days)


# --- what the moves call ------------------------------------------------------------------

def start_triage(message, moment, cal=None, levels=None):
    """Submission, or a return by the OPD (which also ends the OPD's clocks).
    `levels`: the message's service level when the caller knows it (bulk data)."""
    cal = cal or calendar.load()
    stop_opd(message, cal)
    levels = levels or levels_for(message.category_id, message.subcategory_id)
    message.triage_from = moment
    message.triage_days = levels.triage
    message.clock_paused_days = 0
    message.triage_due_at = cal.due_at(moment, message.triage_days)
    refresh(message, cal)


def start_opd(message, moment, cal=None, levels=None):
    """A forwarding (also a re-forwarding): triage ends, the OPD's clocks start afresh."""
    cal = cal or calendar.load()
    levels = levels or levels_for(message.category_id, message.subcategory_id)
    message.triage_due_at = None
    message.opd_from = moment
    message.response_days = levels.response
    message.resolution_days = levels.resolution
    message.clock_paused_days = 0
    message.response_due_at = cal.due_at(moment, levels.response)
    message.resolution_due_at = cal.due_at(moment, levels.resolution)
    message.opd_response_at = message.opd_resolved_at = None
    message.flagged_at = None
    refresh(message, cal)


def responded(message, moment, cal=None):
    """The OPD's public action: the first one after the forwarding stops the response
    clock."""
    if message.opd_from is not None and message.opd_response_at is None:
        message.opd_response_at = moment
    refresh(message, cal)


def resolved(message, moment, cal=None):
    message.reopen_due_at = None
    if message.opd_from is not None and message.opd_resolved_at is None:
        message.opd_response_at = message.opd_response_at or moment
        message.opd_resolved_at = moment
    refresh(message, cal)


def reopened(message, moment, cal=None):
    """The sender reopened the resolution: a new resolution clock runs from `moment`
    (`reopen_due_at`); the first resolution still counts for the on-time figures."""
    cal = cal or calendar.load()
    days = message.resolution_days or levels_for(message.category_id,
                                                 message.subcategory_id).resolution
    message.resolution_days = days
    message.reopened_at = moment
    message.clock_paused_days = 0  # a new run: earlier pauses moved the old one
    message.reopen_due_at = cal.due_at(moment, days)
    refresh(message, cal)


def stop_opd(message, cal=None):
    """The OPD's assignment ends (a return): its clocks are forgotten."""
    message.opd_from = message.reopen_due_at = None
    message.response_due_at = message.resolution_due_at = None
    message.opd_response_at = message.opd_resolved_at = None
    refresh(message, cal)


def stop_all(message, moment, cal=None):
    """Rejected, withdrawn or finished for want of an answer: no clock runs any more."""
    message.triage_due_at = message.reopen_due_at = None
    if message.opd_from is not None:
        message.opd_response_at = message.opd_response_at or moment
        message.opd_resolved_at = message.opd_resolved_at or moment
    message.paused_at = None
    refresh(message, cal)


def pause(message, moment, cal=None):
    """The stage waits for the citizen: the running clocks stand still."""
    if message.paused_at is None:
        message.paused_at = moment
    refresh(message, cal)


def resume(message, moment, cal=None):
    """The citizen answered: the running clocks move forward by the working days after
    the pause's local day up to and including the resume's (0 on the same day)."""
    if message.paused_at is None:
        return 0
    cal = cal or calendar.load()
    waited = cal.working_days_between(cal.local_day(message.paused_at), cal.local_day(moment))
    message.paused_at = None
    message.clock_paused_days = (message.clock_paused_days or 0) + waited
    message.paused_days = (message.paused_days or 0) + waited
    recompute(message, cal)
    return waited


# --- the due times ------------------------------------------------------------------------

def current_clock(message):
    """(clock, due time) of the stage the message is in, or (None, None)."""
    if message.triage_due_at is not None:
        return TRIAGE, message.triage_due_at
    if message.opd_from is not None:
        if message.opd_response_at is None and message.response_due_at is not None:
            return RESPONSE, message.response_due_at
        if message.opd_resolved_at is None and message.resolution_due_at is not None:
            return RESOLUTION, message.resolution_due_at
        if getattr(message, "reopen_due_at", None) is not None:
            return RESOLUTION, message.reopen_due_at
    return None, None


def clock_from(message):
    """When the running clock's current run started: a notice is sent once per run."""
    if message.due_clock == TRIAGE:
        return message.triage_from
    if message.reopen_due_at is not None:
        return message.reopened_at
    return message.opd_from


def refresh(message, _cal=None):
    """Set `due_clock`/`due_at` from the clocks; the Super Admin's flag clears when the
    stage it was raised for is over."""
    clock, due = current_clock(message)
    if message.flagged_at is not None and clock != message.due_clock:
        message.flagged_at = None
    message.due_clock = clock
    message.due_at = None if message.paused_at is not None else due


def recompute(message, cal=None):
    """Recompute the running clocks' due times (after a calendar change or a pause)."""
    cal = cal or calendar.load()
    shift = message.clock_paused_days or 0
    if message.triage_due_at is not None and message.triage_from is not None:
        message.triage_due_at = cal.due_at(message.triage_from, message.triage_days + shift)
    if message.opd_from is not None:
        if message.opd_response_at is None and message.response_days:
            message.response_due_at = cal.due_at(message.opd_from,
                                                 message.response_days + shift)
        if message.opd_resolved_at is None and message.resolution_days:
            message.resolution_due_at = cal.due_at(message.opd_from,
                                                   message.resolution_days + shift)
        if message.reopen_due_at is not None and message.reopened_at is not None:
            message.reopen_due_at = cal.due_at(message.reopened_at,
                                               (message.resolution_days or 0) + shift)
    refresh(message, cal)


CLOCK_COLUMNS = (
    "triage_from", "triage_days", "triage_due_at", "opd_from", "response_days",
    "response_due_at", "opd_response_at", "resolution_days", "resolution_due_at",
    "opd_resolved_at", "due_clock", "due_at", "clock_paused_days", "flagged_at",
    "reopened_at", "reopen_due_at",
)


def recompute_open(batch=500):
    """Recompute every open message's running clocks with today's calendar; messages of
    before the deadlines (no clock yet) get theirs from their milestones. Written with
    plain UPDATEs: a person working on a message meanwhile is not refused for it. The
    daily aggregates are then rebuilt (due times and working days may have changed)."""
    cal = calendar.load()
    table = Message.__table__
    open_statuses = [s.value for s in Status.open_statuses()]
    writer = update(table).where(table.c.id == bindparam("row_id")).values(
        {name: bindparam(name) for name in CLOCK_COLUMNS})
    last_id, changed = 0, 0
    while True:
        rows = db.session.execute(
            select(table).where(table.c.id > last_id, table.c.status.in_(open_statuses))
            .order_by(table.c.id).limit(batch)).mappings().all()
        if not rows:
            break
        updates = []
        for row in rows:
            message = SimpleNamespace(**row)
            if message.due_clock is None and message.paused_at is None:
                _first_clocks(message, cal)
            recompute(message, cal)
            values = {name: getattr(message, name) for name in CLOCK_COLUMNS}
            if any(values[name] != row[name] for name in CLOCK_COLUMNS):
                updates.append({"row_id": row["id"], **values})
        if updates:
            db.session.execute(writer, updates)
            changed += len(updates)
        db.session.commit()
        last_id = rows[-1]["id"]
    # The report's on-time figures count due times and working days: recount them.
    from .aggregates_rebuild import rebuild

    rebuild()
    if changed:
        page_revisions.site_changed()  # due dates shown on pages drawn earlier
    db.session.commit()
    return changed


def _first_clocks(message, cal):
    """Clocks for a message that has none (sent before the deadlines existed)."""
    if message.status in (Status.BARU, Status.ESKALASI):
        start_triage(message, message.updated_at or message.created_at, cal)
    elif message.status in (Status.DITERUSKAN, Status.DIPROSES) and message.opd_id:
        start_opd(message, message.forwarded_at or message.created_at, cal)
        if message.status == Status.DIPROSES:
            responded(message, message.first_response_at or message.updated_at, cal)

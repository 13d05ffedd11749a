"""The deadline sweep (Celery beat every DEADLINE_SWEEP_SECONDS; `aspirasi sweep`).

For the running clock of each open message it sends, once per run of that clock:
- a reminder to the people responsible (Admins at triage, the OPD's operators after
  forwarding) from the working day before the due day;
- an overdue notice when the due time has passed (to them and the Admins);
- after DEADLINE_FLAG_AFTER_DAYS working days overdue, a flag: the message enters the
  Super Admin's "Terlambat" queue; its status does not change.

"Once" holds however often the sweep runs and however many workers run it: each notice
is claimed by inserting its unique `deadline_notice` row first (a racing worker's insert
fails and it moves on). Overdue notices and flags leave a staff-only timeline entry
without an actor ("Sistem").
"""

from flask import current_app
from sqlalchemy import and_, case, exists, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import DeadlineNotice, Message, Move, StatusChange
from ..timeutil import utcnow
from . import calendar, notifications
from .deadlines import TRIAGE

REMINDER, OVERDUE, FLAG = Move.REMIND.value, Move.OVERDUE.value, Move.FLAG.value
_CLOCK_FROM = case((Message.due_clock == TRIAGE, Message.triage_from), else_=Message.opd_from)


def _not_yet(kind):
    return ~exists().where(
        DeadlineNotice.message_id == Message.id,
        DeadlineNotice.clock == Message.due_clock,
        DeadlineNotice.clock_from == _CLOCK_FROM,
        DeadlineNotice.kind == kind,
    )


def conditions(now, cal, flag_after):
    """{kind: WHERE clause of the messages due for it} (each a range on `due_at`)."""
    today = cal.local_day(now)
    horizon = cal.end_of(cal.next_working_day(today))
    cutoff = cal.start_of(cal.working_days_back(today, flag_after))
    return {
        REMINDER: and_(Message.due_at > now, Message.due_at <= horizon),
        OVERDUE: Message.due_at <= now,
        FLAG: and_(Message.due_at < cutoff, Message.flagged_at.is_(None)),
    }


def candidate_query(kind, where, limit=1000):
    """The ids of messages due for notice `kind` and not sent it yet, soonest first."""
    return select(Message.id).where(where, _not_yet(kind)).order_by(Message.due_at).limit(limit)


def candidates(kind, where, limit=1000):
    return db.session.scalars(candidate_query(kind, where, limit)).all()


def sweep(now=None, commit_every=100):
    """One sweep; returns how many of each notice it sent. Commits every
    `commit_every` notices (a racing worker waits for those claims, then skips them)."""
    now = now or utcnow()
    cal = calendar.load()
    flag_after = current_app.config["DEADLINE_FLAG_AFTER_DAYS"]
    counts = {}
    for kind, where in conditions(now, cal, flag_after).items():
        counts[kind] = 0
        for message_id in candidates(kind, where):
            counts[kind] += _notify(message_id, kind, now)
            if counts[kind] % commit_every == 0:
                db.session.commit()
        db.session.commit()
    return counts


class _Lost(Exception):
    """The flag was raised (or the clock stopped) meanwhile: undo the claim."""


def _notify(message_id, kind, now):
    """Claim and send one notice; False if another worker (or an earlier sweep) has it,
    or the clock stopped meanwhile. The caller commits."""
    message = db.session.get(Message, message_id)
    if message is None or message.due_clock is None:
        return False
    clock = message.due_clock
    clock_from = message.triage_from if clock == TRIAGE else message.opd_from
    try:
        with db.session.begin_nested():
            db.session.add(DeadlineNotice(message_id=message.id, clock=clock,
                                          clock_from=clock_from, kind=kind, created_at=now))
            db.session.flush()
            if kind == FLAG:
                _raise_flag(message.id, clock, now)
    except (IntegrityError, _Lost):
        return False
    change = None
    if kind != REMINDER:
        change = StatusChange(message_id=message.id, kind=kind, from_status=message.status,
                              to_status=message.status, public=False, actor_id=None,
                              opd_id=message.opd_id, created_at=now)
        db.session.add(change)
    notifications.deadline(message, kind, clock, change)
    return True


def _raise_flag(message_id, clock, now):
    """Without the ORM (no version bump: the OPD working on it meanwhile is not refused)."""
    table = Message.__table__
    flagged = db.session.execute(
        update(table).where(table.c.id == message_id, table.c.flagged_at.is_(None),
                            table.c.due_clock == clock).values(flagged_at=now))
    if flagged.rowcount != 1:
        raise _Lost

"""The sender's voice after sending: staff ask and the sender answers, the sender adds
information, reopens a resolution, appeals an Admin's rejection or withdraws a message
not yet triaged; a question left unanswered finishes the message (`close_unanswered`,
run by a Celery beat task).

Like every move (see moves.py): the rule first (`rules.rule_for`, with its limits and
windows in `conditions.py`), one timeline entry, the notifications in the same
transaction, one commit. The deadline clocks (`services.deadlines`) pause while the
sender is asked; a reopening runs the resolution clock again.
"""

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Message, Status
from ..services import calendar, deadlines, notifications, windows
from ..timeutil import utcnow
from .conditions import last_change
from .errors import WorkflowError
from .moves import _first_response, _text
from .rules import Move, rule_for
from .transaction import atomic, record


@atomic
def ask(actor, message, *, question, expected_version=None):
    """"Minta klarifikasi": a question to the sender; the message waits (`menunggu`)."""
    rule = rule_for(actor, message, Move.ASK, expected_version)
    question = _text(question, _l("Question"))
    if message.status in (Status.DITERUSKAN, Status.DIPROSES):
        _first_response(message)  # the OPD's question is its first public action too
    message.waiting_from = message.status
    message.asked_at = utcnow()
    deadlines.pause(message, message.asked_at)
    change = record(actor, message, rule, question)
    notifications.question_asked(message, change, windows.answer_deadline(message.asked_at))
    return change


@atomic
def answer(author, message, *, text, uploads=(), expected_version=None):
    """The sender answers: back to the status the question interrupted; whoever asked
    is told."""
    rule = rule_for(author, message, Move.ANSWER, expected_version)
    text = _text(text, _l("Answer"))
    question = last_change(message, Move.ASK, Status.MENUNGGU)
    change = record(author, message, rule, text, uploads)
    message.waiting_from = message.asked_at = None
    deadlines.resume(message, utcnow())
    notifications.answered(message, change, question.actor if question else None)
    return change


@atomic
def add_info(author, message, *, text, uploads=(), expected_version=None):
    """"Tambah keterangan" while the message is open; those responsible now are told."""
    rule = rule_for(author, message, Move.ADD_INFO, expected_version)
    text = _text(text, _l("Additional information"))
    change = record(author, message, rule, text, uploads)
    notifications.info_added(message, change)
    return change


@atomic
def reopen(author, message, *, reason, expected_version=None):
    """A resolution that did not resolve: back to the same OPD (`diproses`), counted."""
    rule = rule_for(author, message, Move.REOPEN, expected_version)
    reason = _text(reason, _l("Reason"))
    message.reopen_count += 1
    message.resolution = None  # the next resolution replaces it; the timeline keeps it
    deadlines.reopened(message, utcnow())
    change = record(author, message, rule, reason)
    notifications.reopened(message, change)
    return change


@atomic
def appeal(author, message, *, reason, expected_version=None):
    """An Admin's rejection, appealed once: the Super Admins decide (`eskalasi`)."""
    rule = rule_for(author, message, Move.APPEAL, expected_version)
    reason = _text(reason, _l("Reason"))
    message.appealed_at = utcnow()
    deadlines.start_triage(message, message.appealed_at)  # the Super Admin's decision
    change = record(author, message, rule, reason)
    notifications.appealed(message, change)
    return change


@atomic
def withdraw(author, message, *, reason=None, expected_version=None):
    """The sender withdraws a message not yet triaged: `dibatalkan`, kept as it is."""
    rule = rule_for(author, message, Move.WITHDRAW, expected_version)
    reason = _text(reason, _l("Reason"), required=False)
    deadlines.stop_all(message, utcnow())
    change = record(author, message, rule, reason)
    notifications.withdrawn(message, change)
    return change


@atomic
def _close(message, days):
    rule = rule_for(None, message, Move.AUTO_CLOSE)
    text = _auto_close_text(days)
    message.resolution = text
    message.auto_closed = True
    message.waiting_from = message.asked_at = None
    deadlines.stop_all(message, utcnow())
    # No `resolved_at`, and `auto_closed` keeps them out of the on-time figures and the
    # speed medians.
    change = record(None, message, rule, text)
    notifications.status_changed(message, change)
    return change


def _auto_close_text(days):
    """The resolution of a message finished for want of an answer, as LAPOR! words it."""
    # Stored once, in the app's default language (Indonesian): the timeline keeps it.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext("Closed automatically because the sender did not answer within "
                       "%(days)d working days", days=days)


def close_unanswered(now=None):
    """Finish every message whose question lapsed unanswered; returns how many."""
    now = now or utcnow()
    cal = calendar.load()
    candidates = db.session.execute(
        select(Message.id, Message.asked_at).where(
            Message.status == Status.MENUNGGU.value,
            Message.asked_at < windows.surely_open_after(now))
        .order_by(Message.id)).all()
    lapsed = [message_id for message_id, asked_at in candidates
              if windows.answer_deadline(asked_at, cal) < now]
    closed = 0
    for message_id in lapsed:
        message = db.session.scalar(select(Message).where(Message.id == message_id)
                                    .options(selectinload(Message.changes)))
        try:
            _close(message, current_app.config["ANSWER_DAYS"])
        except WorkflowError:
            continue  # answered meanwhile: the sender won the race
        closed += 1
    return closed

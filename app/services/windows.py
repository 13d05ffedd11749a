"""How long the sender has for each of their moves, and when a question lapses: in
working days of the calendar (`services.calendar`), as the deadlines are. A window of
N working days from a moment ends at 23:59:59 WITA of the Nth working day after that
moment's local day. The lengths are settings: ANSWER_DAYS, REOPEN_DAYS, APPEAL_DAYS.
"""

from datetime import timedelta

from flask import current_app

from . import calendar


def _ends(moment, setting, cal=None):
    return (cal or calendar.load()).due_at(moment, current_app.config[setting])


def answer_deadline(asked_at):
    """Until when the sender may answer a question asked at `asked_at`; later the
    message is finished automatically."""
    return _ends(asked_at, "ANSWER_DAYS")


def surely_not_lapsed_after(now):
    """Questions asked at or after this instant cannot have lapsed at `now`: N working
    days span at least N calendar days (a cheap filter for the sweep's query)."""
    return now - timedelta(days=current_app.config["ANSWER_DAYS"])


def lapsed_questions(asked, now):
    """The ids among `asked` ((id, asked_at) pairs) whose answer time has passed."""
    cal = calendar.load()
    return [message_id for message_id, asked_at in asked
            if now > _ends(asked_at, "ANSWER_DAYS", cal)]


def reopen_window_ends(resolved_at):
    """Until when a resolution given at `resolved_at` may be reopened."""
    return _ends(resolved_at, "REOPEN_DAYS")


def appeal_window_ends(rejected_at):
    """Until when a rejection made at `rejected_at` may be appealed."""
    return _ends(rejected_at, "APPEAL_DAYS")

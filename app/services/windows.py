"""How long the sender has for each of their moves, and when a question lapses: in
working days of the deadlines calendar (app/services/calendar.py), each counted from
the local day of the event to the end of its last working day. The lengths are
settings: ANSWER_DAYS, REOPEN_DAYS, APPEAL_DAYS.
"""

from datetime import timedelta

from flask import current_app

from . import calendar


def _ends(moment, setting, cal=None):
    return (cal or calendar.of_request()).due_at(moment, current_app.config[setting])


def answer_deadline(asked_at, cal=None):
    """Until when the sender may answer a question asked at `asked_at`; later the
    message is finished automatically."""
    return _ends(asked_at, "ANSWER_DAYS", cal)


def surely_open_after(now):
    """Questions asked after this instant cannot have lapsed at `now` (N working days
    take at least N calendar days): the sweep reads only the ones before it."""
    return now - timedelta(days=current_app.config["ANSWER_DAYS"])


def reopen_window_ends(resolved_at, cal=None):
    """Until when a resolution given at `resolved_at` may be reopened."""
    return _ends(resolved_at, "REOPEN_DAYS", cal)


def appeal_window_ends(rejected_at, cal=None):
    """Until when a rejection made at `rejected_at` may be appealed."""
    return _ends(rejected_at, "APPEAL_DAYS", cal)

"""How long the sender has for each of their moves, and when a question lapses.

Calendar days until the deadlines calendar lands (issue 13): each window is one
function here, so that counting working days instead changes only this module.
The lengths are settings: ANSWER_DAYS, REOPEN_DAYS, APPEAL_DAYS.
"""

from datetime import timedelta

from flask import current_app


def _days(setting):
    return timedelta(days=current_app.config[setting])


def answer_deadline(asked_at):
    """Until when the sender may answer a question asked at `asked_at` (calendar days
    until the deadlines calendar lands); later the message is finished automatically."""
    return asked_at + _days("ANSWER_DAYS")


def asked_before_for_lapse(now):
    """Questions asked before this instant have lapsed at `now` (the inverse of
    `answer_deadline`, for the sweep's query)."""
    return now - _days("ANSWER_DAYS")


def reopen_window_ends(resolved_at):
    """Until when a resolution given at `resolved_at` may be reopened (calendar days
    until the deadlines calendar lands)."""
    return resolved_at + _days("REOPEN_DAYS")


def appeal_window_ends(rejected_at):
    """Until when a rejection made at `rejected_at` may be appealed (calendar days
    until the deadlines calendar lands)."""
    return rejected_at + _days("APPEAL_DAYS")

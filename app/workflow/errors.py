"""Refusals of the workflow, each of a kind a caller can map to an answer."""

import enum

from flask_babel import lazy_gettext as _l


class Refusal(enum.StrEnum):
    CONFLICT = "conflict"  # someone else changed the message meanwhile, or it is done
    FORBIDDEN = "forbidden"  # this person may not make this move
    WRONG_STATE = "wrong_state"  # nobody may make this move in the message's status
    INVALID = "invalid"  # the move's input is missing or unacceptable
    LIMITED = "limited"  # too many submissions in a while
    KEY_REUSED = "key_reused"  # an idempotency key sent again with another request


class WorkflowError(Exception):
    """A move that is not allowed or not complete. `str()` is the user's message."""

    def __init__(self, message, kind=Refusal.INVALID):
        super().__init__(message)
        self.message = message
        self.kind = kind

    def __str__(self):
        return str(self.message)


CONFLICT_MESSAGE = _l("Someone else changed this message in the meantime. "
                      "Please reload it and try again.")


def conflict():
    return WorkflowError(CONFLICT_MESSAGE, Refusal.CONFLICT)

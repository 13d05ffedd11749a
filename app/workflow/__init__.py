"""The status machine of a message: who may move it from what to what, and what each
move requires and records.

- `rules.py`: the `RULES` table (every move declared once) and `allowed_moves`;
- `moves.py`: one function per move, the only code that changes a status;
- `voice.py`: the sender's moves after sending (questions and answers, additional
  information, reopen, appeal, withdraw) and the sweep of unanswered questions;
- `conditions.py`: the limits and windows of those moves;
- `transaction.py`: one transaction and one timeline entry per move; two people
  acting at once cannot both win (`Message.version` is an optimistic lock);
- `errors.py`: `WorkflowError`, whose `kind` says why a move was refused.
"""

from .errors import CONFLICT_MESSAGE, Refusal, WorkflowError
from .moves import (
    MAX_COMMENT,
    MAX_LOCATION,
    MAX_TEXT,
    MAX_TITLE,
    escalate,
    forward,
    instruct,
    progress,
    rate,
    reject,
    resolve,
    return_to_triage,
    start,
    submit,
    submit_once,
)
from .rules import RULES, Move, Rule, allowed_moves
from .voice import add_info, answer, appeal, ask, close_unanswered, reopen, withdraw

__all__ = [
    "CONFLICT_MESSAGE",
    "MAX_COMMENT",
    "MAX_LOCATION",
    "MAX_TEXT",
    "MAX_TITLE",
    "RULES",
    "Move",
    "Refusal",
    "Rule",
    "WorkflowError",
    "add_info",
    "allowed_moves",
    "answer",
    "appeal",
    "ask",
    "close_unanswered",
    "escalate",
    "forward",
    "instruct",
    "progress",
    "rate",
    "reject",
    "reopen",
    "resolve",
    "return_to_triage",
    "start",
    "submit",
    "submit_once",
    "withdraw",
]

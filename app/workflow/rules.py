"""The status machine as a table: every move, from which statuses, to which, by whom.

`RULES` is the one declaration; the predicates it names live in `app.policy`.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import policy
from ..models import Move, Status
from .conditions import appealable, back_to_where_it_was, reopenable
from .errors import Refusal, WorkflowError, conflict


@dataclass(frozen=True)
class Rule:
    move: Move
    sources: frozenset
    target: object  # a Status; None: it stays as it is; callable(message) -> Status
    allowed: object  # callable(user, message) -> bool
    public: bool = True
    # callable(message) -> None, or the reason the move is not possible now
    condition: object = None

    def target_for(self, message):
        return self.target(message) if callable(self.target) else self.target

    def refusal(self, message):
        return self.condition(message) if self.condition is not None else None


S = Status
RULES = (
    Rule(Move.FORWARD, frozenset({S.BARU, S.DITERUSKAN}), S.DITERUSKAN, policy.may_triage),
    Rule(Move.FORWARD, frozenset({S.ESKALASI}), S.DITERUSKAN, policy.may_decide),
    Rule(Move.ESCALATE, frozenset({S.BARU}), S.ESKALASI, policy.may_triage, public=False),
    Rule(Move.REJECT, frozenset({S.BARU}), S.DITOLAK, policy.may_triage),
    Rule(Move.REJECT, frozenset({S.ESKALASI}), S.DITOLAK, policy.may_decide),
    Rule(Move.START, frozenset({S.DITERUSKAN}), S.DIPROSES, policy.may_process),
    Rule(Move.PROGRESS, frozenset({S.DIPROSES}), None, policy.may_process),
    Rule(Move.NOTE, frozenset({S.DITERUSKAN, S.DIPROSES}), None, policy.may_process,
         public=False),
    Rule(Move.RETURN, frozenset({S.DITERUSKAN, S.DIPROSES}), S.BARU, policy.may_process,
         public=False),
    Rule(Move.RESOLVE, frozenset({S.DIPROSES}), S.SELESAI, policy.may_process),
    # The sender's voice: questions both ways, reopen, appeal, withdraw.
    Rule(Move.ASK, frozenset({S.BARU}), S.MENUNGGU, policy.may_triage),
    Rule(Move.ASK, frozenset({S.ESKALASI}), S.MENUNGGU, policy.may_decide),
    Rule(Move.ASK, frozenset({S.DITERUSKAN, S.DIPROSES}), S.MENUNGGU, policy.may_process),
    Rule(Move.ANSWER, frozenset({S.MENUNGGU}), back_to_where_it_was, policy.is_author),
    Rule(Move.AUTO_CLOSE, frozenset({S.MENUNGGU}), S.SELESAI, policy.is_system),
    Rule(Move.ADD_INFO, frozenset({S.BARU, S.ESKALASI, S.DITERUSKAN, S.DIPROSES}), None,
         policy.is_author),
    Rule(Move.REOPEN, frozenset({S.SELESAI}), S.DIPROSES, policy.is_author,
         condition=reopenable),
    Rule(Move.APPEAL, frozenset({S.DITOLAK}), S.ESKALASI, policy.is_author,
         condition=appealable),
    Rule(Move.WITHDRAW, frozenset({S.BARU}), S.DIBATALKAN, policy.is_author),
    # The Super Admin's word to the OPD of an overdue message (staff only).
    Rule(Move.INSTRUCT, frozenset({S.DITERUSKAN, S.DIPROSES}), None, policy.may_decide,
         public=False),
)


def allowed_moves(user, message):
    """The moves `user` may make on `message` now (for showing the right buttons)."""
    status = Status(message.status)
    return {r.move for r in RULES if status in r.sources and r.allowed(user, message)
            and r.refusal(message) is None}


def rule_for(user, message, move, expected_version=None):
    """The rule that lets `user` make `move` now, or the refusal saying why not."""
    if expected_version is not None and str(expected_version) != str(message.version):
        raise conflict()
    status = Status(message.status)
    rules = [r for r in RULES if r.move == move]
    for rule in rules:
        if status in rule.sources and rule.allowed(user, message):
            reason = rule.refusal(message)
            if reason is not None:
                raise WorkflowError(reason, Refusal.WRONG_STATE)
            return rule
    if any(status in r.sources for r in rules):
        raise WorkflowError(_l("You are not allowed to do this with this message."),
                            Refusal.FORBIDDEN)
    raise WorkflowError(
        _l("This cannot be done while the message is \u201c%(status)s\u201d.",
           status=status.label),
        Refusal.WRONG_STATE,
    )

"""Where the sender's moves touch the deadline clocks of issue 13 (working-day
deadlines on the message). Each hook is called by the workflow at its point and does
nothing yet: the lead wires them to the clocks when the deadlines issue is merged.
"""


def pause(message):
    """A question to the sender (`menunggu`): the running clocks stop."""


def resume(message):
    """The sender answered: the clocks run again from where they stopped."""


def restart_resolution(message):
    """The sender reopened a resolution: the resolution clock starts again."""

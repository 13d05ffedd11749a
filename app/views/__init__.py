"""Every screen of the app, one module per audience; registered in menu order."""

from flask import current_app, g

from .. import api
from ..policy import actor_name, visible_note
from . import (
    attachments,
    citizen,
    deadlines,
    layout,
    operator,
    reference,
    reports,
    track,
    triage,
)


def register_views(appbuilder):
    for module in (citizen, triage, operator, reports, reference, deadlines, attachments,
                   track, api):
        module.register(appbuilder)
    # Globals (not context values) so that imported macros see them too: who made a
    # timeline entry and its note, as the person reading may see them.
    layout.register(current_app)
    globals_ = current_app.jinja_env.globals  # register_views runs in the app context
    globals_["actor_name"] = lambda change: actor_name(g.user, change)
    globals_["visible_note"] = lambda change: visible_note(g.user, change)

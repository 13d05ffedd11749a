"""Every screen of the app, one module per audience; registered in menu order."""

from .. import api
from . import attachments, citizen, operator, reference, triage


def register_views(appbuilder):
    for module in (citizen, triage, operator, reference, attachments, api):
        module.register(appbuilder)

"""Every screen of the app, one module per audience; registered in menu order."""

from .. import api
from . import attachments, citizen, operator, reference, reports, triage


def register_views(appbuilder):
    for module in (citizen, triage, operator, reports, reference, attachments, api):
        module.register(appbuilder)

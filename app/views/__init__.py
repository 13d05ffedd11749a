"""Every screen of the app, one module per audience; registered in menu order."""

from .. import api
from . import reference


def register_views(appbuilder):
    for module in (reference, api):
        module.register(appbuilder)

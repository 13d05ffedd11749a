"""Every screen of the app, one module per audience; registered in menu order."""

from . import reference, reports


def register_views(appbuilder):
    for module in (reference, reports):
        module.register(appbuilder)

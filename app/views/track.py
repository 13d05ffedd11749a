"""`/lacak`: anyone follows a message by its tracking code, without signing in.

The page shows what `services.access.tracked` allows (status, OPD, the dates of the public
steps) and nothing else. Lookups are limited per address (TRACK_LIMIT) so that
nobody can try codes by the thousand; an unknown code answers 404 with the form.
"""

from flask import request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from ..accounts import throttle
from ..models import Status
from ..services.access import tracked_message


class TrackView(BaseView):
    route_base = "/lacak"
    default_view = "show"
    base_permissions = ["can_show"]

    @expose("/")
    @has_access
    def show(self):
        code = (request.args.get("kode") or "").strip()
        found = None
        if code:
            throttle.enforce("track", "TRACK_LIMIT", throttle.client_ip())
            found = tracked_message(code)
        page = self.render_template(
            "public/track.html", title=_("Track a message"), code=code[:40], found=found,
            status_label=Status(found["status"]).label if found else None,
        )
        return (page, 404) if code and found is None else page


def register(appbuilder):
    appbuilder.add_view_no_menu(TrackView)


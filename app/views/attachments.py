"""Attachments are served only here, after the reader's access to the message is
checked; never from `static/` nor through FAB's `download/<filename>`."""

from flask import abort, send_file
from flask_appbuilder import BaseView, expose, has_access

from ..services.access import get_attachment_or_404
from ..services.uploads import storage


class AttachmentView(BaseView):
    route_base = "/lampiran"
    default_view = "download"

    @expose("/<pk>")
    @has_access
    def download(self, pk):
        _message, attachment = get_attachment_or_404(pk)
        try:
            path = storage().path(attachment.stored_name)
        except FileNotFoundError:
            abort(404)
        if not path.is_file():
            abort(404)
        response = send_file(
            path,
            mimetype=attachment.content_type,
            as_attachment=True,
            download_name=attachment.original_name,
            max_age=0,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Files of one person's message must not linger in shared caches.
        response.headers["Cache-Control"] = "private, no-store"
        return response


def register(appbuilder):
    appbuilder.add_view_no_menu(AttachmentView)

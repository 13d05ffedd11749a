"""`flask --app app aspirasi outbox send`: deliver the due email now, in this process.

The Celery worker does this continuously (app/tasks.py); this is the manual one-shot."""

import click
from flask.cli import AppGroup

outbox = AppGroup("outbox", help="The email outbox.")


@outbox.command("send")
def outbox_send_command():
    """Send every email that is due (new or waiting for a retry)."""
    from ..services.mail import send_due

    sent, failed = send_due(limit=10_000)
    click.echo(f"{sent} sent, {failed} failed (will be retried later).")

"""`flask --app app aspirasi outbox send|worker`: delivering the queued email."""

import click
from flask.cli import AppGroup

from ..extensions import db

outbox = AppGroup("outbox", help="The email outbox.")


@outbox.command("send")
def outbox_send_command():
    """Send every email that is due (new or waiting for a retry)."""
    from ..services.mail import send_due

    sent, failed = send_due(limit=10_000)
    click.echo(f"{sent} sent, {failed} failed (will be retried later).")


@outbox.command("worker")
@click.option("--interval", default=30, show_default=True, help="Seconds between rounds.")
def outbox_worker_command(interval):
    """Keep sending due email until stopped (Ctrl-C)."""
    import time

    from ..services.mail import send_due

    click.echo(f"Outbox worker: checking every {interval}s. Ctrl-C stops.")
    try:
        while True:
            sent, failed = send_due()
            if sent or failed:
                click.echo(f"{sent} sent, {failed} failed.")
            db.session.remove()
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Outbox worker stopped.")

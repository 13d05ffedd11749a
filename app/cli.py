"""`flask --app app aspirasi ...`: set-up and administration commands."""

import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .extensions import db
from .security.roles import ADMIN, OPERATOR, SUPER_ADMIN

aspirasi = AppGroup("aspirasi", help="Aspirasi Etam administration.")


def _fail(message):
    raise click.ClickException(message)


@aspirasi.command("init")
def init_command():
    """Upgrade the schema, sync roles, load reference data, create the first Super Admin."""
    import os

    from flask_migrate import upgrade

    from .models import AppUser
    from .services.accounts import AccountError, create_account
    from .services.reference import load_reference_data

    upgrade()
    sm = current_app.appbuilder.sm
    sm.sync_roles()
    added = load_reference_data()
    click.echo(f"Schema up to date; roles in place; {added} reference records added.")

    super_admin = sm.find_role(SUPER_ADMIN)
    has_super_admin = db.session.scalar(
        select(AppUser.id).where(AppUser.roles.contains(super_admin)).limit(1)
    )
    if has_super_admin:
        click.echo("A Super Admin exists already; nothing else to do.")
        return
    email = os.environ.get("ADMIN_EMAIL") or "admin@aspirasietam.local"
    password = os.environ.get("ADMIN_PASSWORD")
    generated = password is None
    if generated:
        password = "Ae-" + secrets.token_urlsafe(12) + "9"
    try:
        create_account(email=email, password=password, full_name="Super Admin",
                       role=SUPER_ADMIN, verified=True)
    except AccountError as error:
        _fail(f"Cannot create the first Super Admin: {error}")
    db.session.commit()
    click.echo("")
    click.echo("First Super Admin created:")
    click.echo(f"  email:    {email}")
    if generated:
        click.echo(f"  password: {password}")
        click.echo("  (shown only this once: change it after the first login)")


@aspirasi.command("create-user")
@click.option("--role", "role", required=True, type=click.Choice([ADMIN, OPERATOR]),
              help="Admin or Operator (citizens register themselves).")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--opd", "opd_short", default=None, help="Short name of the operator's OPD.")
@click.option("--phone", default=None)
def create_user_command(role, email, password, full_name, opd_short, phone):
    """Create an Admin or an Operator account."""
    from .services.accounts import AccountError, create_account, find_opd

    opd = None
    if opd_short:
        opd = find_opd(opd_short)
        if opd is None:
            _fail(f"No OPD with the short name {opd_short!r}.")
    if current_app.appbuilder.sm.find_role(role) is None:
        _fail("Roles are missing: run `flask --app app aspirasi init` first.")
    try:
        user = create_account(email=email, password=password, full_name=full_name,
                              role=role, opd=opd, phone=phone, verified=True)
    except AccountError as error:
        _fail(str(error))
    db.session.commit()
    click.echo(f"Created {role} {user.email}" + (f" of {opd.short_name}" if opd else "") + ".")


outbox = AppGroup("outbox", help="The email outbox.")
aspirasi.add_command(outbox)


@outbox.command("send")
def outbox_send_command():
    """Send every email that is due (new or waiting for a retry)."""
    from .services.mail import send_due

    sent, failed = send_due(limit=10_000)
    click.echo(f"{sent} sent, {failed} failed (will be retried later).")


@outbox.command("worker")
@click.option("--interval", default=30, show_default=True, help="Seconds between rounds.")
def outbox_worker_command(interval):
    """Keep sending due email until stopped (Ctrl-C)."""
    import time

    from .services.mail import send_due

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


def register(app):
    from . import cli_reports

    cli_reports.register(aspirasi)
    app.cli.add_command(aspirasi)

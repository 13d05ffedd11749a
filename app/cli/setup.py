"""`flask --app app aspirasi init|create-user`: set-up and staff accounts."""

import secrets

import click
from flask import current_app

from ..extensions import db
from ..policy import STAFF_ACCOUNT_ROLES, SUPER_ADMIN, holders
from .common import fail


@click.command("init")
def init_command():
    """Upgrade the schema, sync roles, load reference data, create the first Super Admin."""
    from flask_migrate import upgrade

    from ..accounts.service import AccountError, create_account
    from ..services.reference import load_reference_data

    upgrade()
    sm = current_app.appbuilder.sm
    sm.sync_roles()
    added = load_reference_data()
    click.echo(f"Schema up to date; roles in place; {added} reference records added.")

    has_super_admin = db.session.scalar(holders(SUPER_ADMIN, active_only=False).limit(1))
    if has_super_admin:
        click.echo("A Super Admin exists already; nothing else to do.")
        return
    email = current_app.config["ADMIN_EMAIL"]
    password = current_app.config["ADMIN_PASSWORD"]
    generated = password is None
    if generated:
        password = "Ae-" + secrets.token_urlsafe(12) + "9"
    try:
        create_account(email=email, password=password, full_name="Super Admin",
                       role=SUPER_ADMIN, verified=True)
    except AccountError as error:
        fail(f"Cannot create the first Super Admin: {error}")
    db.session.commit()
    click.echo("")
    click.echo("First Super Admin created:")
    click.echo(f"  email:    {email}")
    if generated:
        click.echo(f"  password: {password}")
        click.echo("  (shown only this once: change it after the first login)")


@click.command("create-user")
@click.option("--role", "role", required=True, type=click.Choice(STAFF_ACCOUNT_ROLES),
              help="Admin or Operator (citizens register themselves).")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--opd", "opd_short", default=None, help="Short name of the operator's OPD.")
@click.option("--phone", default=None)
def create_user_command(role, email, password, full_name, opd_short, phone):
    """Create an Admin or an Operator account."""
    from ..accounts.service import AccountError, create_account, find_opd

    opd = None
    if opd_short:
        opd = find_opd(opd_short)
        if opd is None:
            fail(f"No OPD with the short name {opd_short!r}.")
    if current_app.appbuilder.sm.find_role(role) is None:
        fail("Roles are missing: run `flask --app app aspirasi init` first.")
    try:
        user = create_account(email=email, password=password, full_name=full_name,
                              role=role, opd=opd, phone=phone, verified=True)
    except AccountError as error:
        fail(str(error))
    db.session.commit()
    click.echo(f"Created {role} {user.email}" + (f" of {opd.short_name}" if opd else "") + ".")


COMMANDS = (init_command, create_user_command)

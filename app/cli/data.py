"""`flask --app app aspirasi demo|generate`: data to look at and to measure with."""

import click
from flask import current_app

from ..extensions import db


@click.command("demo")
def demo_command():
    """Load the 42 demo messages of the source document's report (once)."""
    from ..services.demo import DemoError, load_demo

    chosen = current_app.config["DEMO_PASSWORD"]
    try:
        count, password = load_demo(password=chosen)
    except DemoError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} demo messages loaded, with an Admin, operators and citizens "
               "(emails @demo.aspirasietam.local).")
    if not chosen:
        click.echo(f"Password of every demo account: {password}")


@click.command("generate")
@click.option("--messages", "count", type=int, required=True,
              help="How many synthetic messages to add.")
@click.option("--seed", type=int, default=None, help="Random seed, for a repeatable data set.")
def generate_command(count, seed):
    """Add synthetic messages (bulk inserts), e.g. for a benchmark."""
    from ..services.generate import GenerateError, generate_messages

    if count < 1:
        raise click.ClickException("--messages must be at least 1.")
    try:
        with click.progressbar(length=count, label="Generating messages") as bar:
            generate_messages(count, seed=seed, progress=bar.update)
    except GenerateError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} messages added.")


COMMANDS = (demo_command, generate_command)

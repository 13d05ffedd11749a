"""`flask --app app aspirasi aggregates rebuild|check`: the report's daily aggregates."""

import click
from flask.cli import AppGroup

from ..extensions import db

aggregates = AppGroup("aggregates", help="The daily aggregates the report reads.")


@aggregates.command("rebuild")
def rebuild_command():
    """Count the aggregates afresh from the message rows."""
    from ..services.aggregates_rebuild import rebuild

    counts, durations, clocks = rebuild()
    db.session.commit()
    click.echo(f"Aggregates rebuilt: {counts} count rows, {durations} duration rows, "
               f"{clocks} clock rows.")


@aggregates.command("check")
def check_command():
    """Compare the aggregates with the rows; exit 1 on any difference."""
    from ..services.aggregates_rebuild import differences

    lines = differences()
    db.session.rollback()
    if lines:
        for line in lines:
            click.echo(line, err=True)
        raise click.ClickException("The aggregates differ from the rows "
                                   "(`aggregates rebuild` recounts them).")
    click.echo("The aggregates agree with the rows.")

"""`flask --app app aspirasi deadline|holiday|sweep`: the working-day calendar and the
deadline sweep by hand."""

from datetime import date

import click
from flask.cli import AppGroup

from .common import fail


def _day(value, option):
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date of the form YYYY-MM-DD.")


@click.command("deadline")
@click.option("--from", "first", required=True, metavar="YYYY-MM-DD",
              help="The day (WITA) the limit is counted from; it does not count itself.")
@click.option("--working-days", "count", type=click.IntRange(0, 3650), required=True,
              help="The limit in working days.")
def deadline_command(first, count):
    """Print the due date of a limit of N working days."""
    from ..services.calendar import due_date

    click.echo(due_date(_day(first, "--from"), count).isoformat())


@click.group("holiday", cls=AppGroup)
def holiday_group():
    """Days off of the working-day calendar."""


@holiday_group.command("add")
@click.argument("day")
@click.argument("name")
def holiday_add(day, name):
    """Make DAY (YYYY-MM-DD) a day off named NAME."""
    from ..services.calendar import CalendarError, add_day_off

    try:
        add_day_off(_day(day, "DAY"), name)
    except CalendarError as error:
        fail(str(error))
    click.echo(f"{day} is a day off.")


@holiday_group.command("remove")
@click.argument("day")
def holiday_remove(day):
    """Make DAY (YYYY-MM-DD) a working day."""
    from ..services.calendar import CalendarError, make_working_day

    try:
        make_working_day(_day(day, "DAY"))
    except CalendarError as error:
        fail(str(error))
    click.echo(f"{day} is a working day.")


@holiday_group.command("list")
@click.option("--year", type=click.IntRange(1970, 9998), default=None,
              help="The year (default: this year).")
def holiday_list(year):
    """List the days off of a year (and national ones made working days)."""
    from ..services import calendar

    year = year or calendar.local_today().year
    for day in calendar.load().days_off(year):
        note = {"national": "", "added": "  (added)", "cancelled": "  (working day)"}
        click.echo(f"{day.day.isoformat()}  {day.name}{note[day.source]}")


@click.command("sweep")
@click.option("--recompute", is_flag=True,
              help="First recompute the due times of every open message (after an "
                   "upgrade: messages sent before the deadlines existed get theirs).")
def sweep_command(recompute):
    """Run one deadline sweep now: reminders, overdue notices, flags."""
    from ..services.deadlines import recompute_open
    from ..services.sweep import sweep

    if recompute:
        click.echo(f"{recompute_open()} open messages got new due times.")
    counts = sweep()
    click.echo(", ".join(f"{kind}: {n}" for kind, n in counts.items()))


COMMANDS = (deadline_command, holiday_group, sweep_command)

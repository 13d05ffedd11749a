"""`flask --app app aspirasi report|demo|generate`: the report and its data."""

import sys
from datetime import date

import click
from flask.cli import with_appcontext

from .extensions import db

FORMATS = ("json", "csv", "xlsx", "pdf")


def _date(_ctx, param, value):
    # ClickException, not BadParameter: one line of error, no usage dump.
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(
            f"{param.opts[0]}: {value!r} is not a date "
            "of the form YYYY-MM-DD."
        ) from None


@click.command("report")
@click.option("--from", "first", callback=_date, metavar="YYYY-MM-DD",
              help="First day (WITA) of the period; omit both for all time.")
@click.option("--to", "last", callback=_date, metavar="YYYY-MM-DD",
              help="Last day (WITA) of the period, included.")
@click.option("--format", "fmt", default="json", show_default=True,
              help="One of " + ", ".join(FORMATS) + ".")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of standard output.")
@click.option("--opd", "opd_short", default=None, help="Only this OPD (short name).")
def report_command(first, last, fmt, out, opd_short):
    """Print or write the report of a period."""
    from .services.accounts import find_opd
    from .services.report_export import export
    from .services.reports import Period, build_report

    if fmt not in FORMATS:
        raise click.ClickException(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    if first and last and first > last:
        raise click.ClickException("--from must not be after --to.")
    opd_id = None
    if opd_short:
        opd = find_opd(opd_short)
        if opd is None:
            raise click.ClickException(f"No OPD with the short name {opd_short!r}.")
        opd_id = opd.id
    if fmt in ("xlsx", "pdf") and not out and sys.stdout.isatty():
        raise click.ClickException(f"{fmt.upper()} is binary: give --out FILE.")
    content, _media = export(build_report(Period(first, last), opd_id), fmt)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
        click.echo(f"Report written to {out}.", err=True)
    else:
        click.echo(data, nl=False)  # bytes go to the binary stream


@click.command("demo")
def demo_command():
    """Load the 42 demo messages of the source document's report (once)."""
    import os

    from .services.demo import DemoError, load_demo

    try:
        count, password = load_demo(password=os.environ.get("DEMO_PASSWORD"))
    except DemoError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} demo messages loaded, with an Admin, operators and citizens "
               "(emails @demo.aspirasietam.local).")
    if not os.environ.get("DEMO_PASSWORD"):
        click.echo(f"Password of every demo account: {password}")


@click.command("generate")
@click.option("--messages", "count", type=int, required=True,
              help="How many synthetic messages to add.")
@click.option("--seed", type=int, default=None, help="Random seed, for a repeatable data set.")
def generate_command(count, seed):
    """Add synthetic messages (bulk inserts), e.g. for a benchmark."""
    from .services.generate import GenerateError, generate_messages

    if count < 1:
        raise click.ClickException("--messages must be at least 1.")
    try:
        with click.progressbar(length=count, label="Generating messages") as bar:
            generate_messages(count, seed=seed, progress=bar.update)
    except GenerateError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} messages added.")


def register(group):
    for command in (report_command, demo_command, generate_command):
        # AppGroup.command() would do this; these are declared apart from the group.
        command.callback = with_appcontext(command.callback)
        group.add_command(command)

"""`flask --app app aspirasi report`: the report of a period, as a file."""

import sys
from datetime import date

import click

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
    from ..accounts.service import find_opd
    from ..services.report_export import export
    from ..services.reports import EARLIEST_DAY, LATEST_DAY, Period, build_report

    if fmt not in FORMATS:
        raise click.ClickException(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    if first and last and first > last:
        raise click.ClickException("--from must not be after --to.")
    period = Period(first, last)
    if not period.within_bounds():
        raise click.ClickException(
            f"Dates must lie between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}.")
    opd_ids = None
    if opd_short:
        opd = find_opd(opd_short)
        if opd is None:
            raise click.ClickException(f"No OPD with the short name {opd_short!r}.")
        opd_ids = frozenset({opd.id})
    if fmt in ("xlsx", "pdf") and not out and sys.stdout.isatty():
        raise click.ClickException(f"{fmt.upper()} is binary: give --out FILE.")
    content, _media = export(build_report(period, opd_ids), fmt)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
        click.echo(f"Report written to {out}.", err=True)
    else:
        click.echo(data, nl=False)  # bytes go to the binary stream


COMMANDS = (report_command,)

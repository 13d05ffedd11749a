"""What the commands share."""

import click


def fail(message):
    """Stop the command with one line `Error: message` and a non-zero exit code."""
    raise click.ClickException(message)

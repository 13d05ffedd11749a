"""`flask --app app aspirasi …`: the administration commands, thin: each calls a service.

- `setup.py`: init, create-user;
- `outbox.py`: outbox send, outbox worker;
- `reports.py`: report;
- `data.py`: demo, generate;
- `deadlines.py`: deadline, holiday add|remove|list, sweep;
- `aggregates.py`: aggregates rebuild, aggregates check.
"""

from flask.cli import AppGroup, with_appcontext

from . import aggregates, data, deadlines, outbox, reports, setup

aspirasi = AppGroup("aspirasi", help="Aspirasi Etam administration.")
aspirasi.add_command(outbox.outbox)
aspirasi.add_command(aggregates.aggregates)


def register(app):
    for command in (*setup.COMMANDS, *reports.COMMANDS, *data.COMMANDS,
                    *deadlines.COMMANDS):
        if not getattr(command, "_with_app", False):
            # AppGroup.command() would do this; these are declared apart from the group.
            command.callback = with_appcontext(command.callback)
            command._with_app = True
        aspirasi.add_command(command)
    app.cli.add_command(aspirasi)

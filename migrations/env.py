"""Alembic environment: one schema, Flask-AppBuilder's security tables and ours."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from flask_appbuilder import Model

import app.models  # noqa: F401  (registers every table on Model.metadata)

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name)

target_metadata = Model.metadata


def _engine():
    return current_app.extensions["migrate"].db.engine


def run_migrations_offline():
    context.configure(
        url=str(_engine().url).replace("%", "%%"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    with _engine().connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

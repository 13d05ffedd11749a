"""The database guards the status machine: a message's status and a timeline entry's
kind and statuses can only be the ones the workflow knows."""

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Move, Status

from .factories import make_message


@pytest.fixture
def message_id(app):
    with app.app_context():
        return make_message().id


def _execute(app, sql, **values):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(sql), values)


def _timeline_entry(app, message_id, kind="note", from_status="baru", to_status="baru"):
    _execute(app, "INSERT INTO status_change"
                  " (message_id, kind, from_status, to_status, public, created_at)"
                  " VALUES (:m, :kind, :from_status, :to_status, :public, :at)",
             m=message_id, kind=kind, from_status=from_status, to_status=to_status, public=True,
             at=datetime(2026, 1, 1))


def test_every_status_and_move_is_accepted(app, message_id):
    """Does the migrated database take every status and every move the code knows (a
    new one added without widening the constraints in a migration fails here)?"""
    for status in Status:
        _execute(app, "UPDATE message SET status = :s WHERE id = :m", s=status.value,
                 m=message_id)
        _timeline_entry(app, message_id, from_status=status.value, to_status=status.value)
    for move in Move:
        _timeline_entry(app, message_id, kind=move.value)
    _timeline_entry(app, message_id, kind="submit", from_status=None)


@pytest.mark.parametrize("value", ["bogus", "BARU", ""])
def test_a_message_status_outside_the_machine_is_refused(app, message_id, value):
    """Does the database refuse a message status the workflow does not know?"""
    with pytest.raises(IntegrityError):
        _execute(app, "UPDATE message SET status = :v WHERE id = :m", v=value, m=message_id)


@pytest.mark.parametrize("entry", [
    {"kind": "bogus"}, {"kind": "rate"}, {"from_status": "bogus"}, {"to_status": "selesai "},
])
def test_a_timeline_entry_outside_the_machine_is_refused(app, message_id, entry):
    """Does the database refuse a timeline entry of an unknown kind or status?"""
    with pytest.raises(IntegrityError):
        _timeline_entry(app, message_id, **entry)

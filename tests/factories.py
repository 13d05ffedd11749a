"""One factory per model for test data. Call inside an app context."""

import itertools

from app.extensions import db
from app.services.accounts import create_account, find_opd

from .conftest import DEFAULT_PASSWORD

_counter = itertools.count(1)


def make_user(role="User", *, email=None, password=DEFAULT_PASSWORD, name=None,
              opd=None, verified=True, phone=None):
    """A user of the given role; `opd` is an Opd or a short name."""
    n = next(_counter)
    if isinstance(opd, str):
        opd = find_opd(opd)
    user = create_account(
        email=email or f"user{n}@example.test",
        password=password,
        full_name=name or f"Pengguna Uji {n}",
        role=role,
        opd=opd,
        phone=phone,
        verified=verified,
    )
    db.session.commit()
    return user

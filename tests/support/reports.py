"""Helpers for the report tests: the seed's figures, demo data, single messages."""

import functools
import itertools
from unittest.mock import patch

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Message, Opd, Status
from app.services import aggregates
from app.services.demo import load_demo
from app.services.reference import OPDS

from ..conftest import DEFAULT_PASSWORD
from ..factories import make_user

# The source document's report (chapters III-IV), percents by largest remainder.
SEED_TOTAL = 42
SEED_BY_TYPE = [("Aspirasi", 18, 43), ("Pengaduan", 24, 57)]
SEED_STATUS_COUNTS = [(38, 90), (4, 10)]  # Selesai, Sedang ditangani
SEED_OPD_COUNTS = [14, 8, 6, 2, 2, 2, 2, 2, 1, 1, 1, 1]
SEED_OPD_PERCENTS = [33, 19, 14, 5, 5, 5, 5, 5, 3, 2, 2, 2]
_codes = itertools.count(1)

SEED_BY_OPD = [(name, count, percent) for (_short, name), count, percent
               in zip(OPDS, SEED_OPD_COUNTS, SEED_OPD_PERCENTS, strict=True)]


def load_seed_demo():
    """The 42 demo messages; every demo account has DEFAULT_PASSWORD.

    The 19 demo accounts share one password: hash it once (scrypt is slow on purpose).
    """
    from app.accounts import service as accounts

    with patch.object(accounts, "hash_password", functools.cache(accounts.hash_password)):
        load_demo(password=DEFAULT_PASSWORD)


def triples(rows):
    """(name, count, percent) of a JSON breakdown."""
    return [(row["name"], row["count"], row["percent"]) for row in rows]


def add_message(created_at, *, opd="DLH", category="pengaduan", status=Status.DIPROSES,
                title="Pesan uji", author=None):
    """One message written directly, at `created_at` (naive UTC)."""
    author = author or make_user("User")
    message = Message(
        code=f"AE-TEST-{next(_codes):06d}", title=title, body="Isi pesan uji.",
        author=author, status=status, created_at=created_at, updated_at=created_at,
        category=db.session.scalar(select(Category).where(Category.code == category)),
        opd=db.session.scalar(select(Opd).where(Opd.short_name == opd)) if opd else None,
    )
    db.session.add(message)
    db.session.flush()
    aggregates.changed(message, None)  # as the workflow does for a new message
    db.session.commit()
    return message

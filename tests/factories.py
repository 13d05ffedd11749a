"""One factory per model for test data. Call inside an app context."""

import itertools

from app.accounts.service import create_account, find_opd
from app.extensions import db

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


def make_message(author=None, *, title="Jalan berlubang di Jl. Juanda", body=None,
                 confidential=False, uploads=()):
    """A message submitted through the workflow by `author` (a new citizen by default)."""
    from app import workflow

    author = author or make_user("User")
    return workflow.submit(
        author,
        title=title,
        body=body or "Lubang besar di depan sekolah, membahayakan pengendara motor.",
        location="Samarinda",
        confidential=confidential,
        uploads=uploads,
    )


def forward_to(message, opd="DISKOMINFO", admin=None, category="pengaduan"):
    """Classify and forward `message` to an OPD (short name) as an Admin."""
    from sqlalchemy import select

    from app import workflow
    from app.models import Category

    admin = admin or make_user("Admin")
    cat = db.session.scalar(select(Category).where(Category.code == category))
    return workflow.forward(admin, message, category=cat, subcategory=cat.subcategories[0],
                            opd=find_opd(opd))

"""Synthetic messages in bulk, for load tests and benchmarks.

Rows are written with Core `insert()` in batches (executemany), never through the
ORM, and follow the status machine: every message gets the timeline that leads to
its status, the milestones the speed report reads, a resolution when it is done and
sometimes a rating.
"""

import random
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, insert, select, update

from ..extensions import db
from ..models import (
    AppUser,
    Category,
    Message,
    Opd,
    Rating,
    Status,
    StatusChange,
    SubCategory,
    tracking_code,
)
from ..policy import ADMIN, OPERATOR, USER
from ..timeutil import utcnow
from . import aggregates

BATCH = 10_000
CITIZENS = 200
GENERATED_DOMAIN = "generated.invalid"
# Not a hash of anything: no password matches it, so nobody can sign in as these.
NO_PASSWORD = "!"  # noqa: S105

# (status, weight): most messages end up resolved, as in the source document.
STATUS_WEIGHTS = [
    (Status.SELESAI, 72), (Status.DIPROSES, 8), (Status.DITERUSKAN, 5),
    (Status.BARU, 4), (Status.ESKALASI, 2), (Status.DITOLAK, 9),
]
# Some OPDs get far more messages than others (the source document: 14 vs 1).
OPD_WEIGHTS = [14, 8, 6, 2, 2, 2, 2, 2, 1, 1, 1, 1]
STARS_WEIGHTS = [(1, 4), (2, 6), (3, 15), (4, 40), (5, 35)]

TOPICS = [
    ("Jalan rusak", "Jalan di lingkungan kami berlubang dan membahayakan pengendara."),
    ("Banjir", "Saluran air tersumbat sehingga permukiman tergenang setiap hujan deras."),
    ("Internet", "Sinyal internet di desa kami sangat lemah dan sering terputus."),
    ("Sampah", "Sampah menumpuk di tepi jalan dan tidak diangkut berhari-hari."),
    ("Perizinan", "Pengurusan izin usaha berjalan lambat tanpa kejelasan waktu."),
    ("Bantuan sosial", "Penyaluran bantuan sosial di kelurahan kami tidak tepat sasaran."),
    ("Hutan", "Ada penebangan pohon di kawasan hutan yang seharusnya dilindungi."),
    ("Usulan", "Kami mengusulkan pelatihan keterampilan bagi pemuda di kampung kami."),
]
PLACES = ["Samarinda", "Balikpapan", "Bontang", "Tenggarong", "Sangatta", "Tanjung Redeb",
          "Penajam", "Tana Paser", "Sendawar", "Ujoh Bilang"]


class GenerateError(RuntimeError):
    """The database is not ready for generated data; the message says why."""


def _reference():
    opds = list(db.session.scalars(select(Opd.id).order_by(Opd.id)))
    categories = {code: cid for cid, code in db.session.execute(select(Category.id,
                                                                        Category.code))}
    subcategories = {}
    for sid, cid in db.session.execute(select(SubCategory.id, SubCategory.category_id)):
        subcategories.setdefault(cid, []).append(sid)
    if len(opds) == 0 or set(categories) != {"aspirasi", "pengaduan"}:
        raise GenerateError("Reference data is missing: run `flask --app app aspirasi init` "
                            "first.")
    return opds, categories, subcategories


def _generated_people(opds):
    """Inactive accounts that author and handle generated messages (nobody logs in)."""
    sm = current_app.appbuilder.sm
    roles = {name: sm.find_role(name) for name in (ADMIN, OPERATOR, USER)}
    if any(role is None for role in roles.values()):
        raise GenerateError("Roles are missing: run `flask --app app aspirasi init` first.")

    def person(local, name, role, opd_id=None):
        email = f"{local}@{GENERATED_DOMAIN}"
        user = db.session.scalar(select(AppUser).where(AppUser.email == email))
        if user is None:
            user = AppUser(username=email, email=email, first_name=name[:64], last_name="",
                           full_name=name, active=False, password=NO_PASSWORD, roles=[roles[role]],
                           opd_id=opd_id, auth_version=1)
            db.session.add(user)
        return user

    admin = person("admin", "Admin Data Sintetis", ADMIN)
    operators = {oid: person(f"operator-{oid}", f"Operator Sintetis {oid}", OPERATOR, oid)
                 for oid in opds}
    citizens = [person(f"warga-{n}", f"Warga Sintetis {n}", USER) for n in range(CITIZENS)]
    db.session.commit()
    return admin.id, {oid: u.id for oid, u in operators.items()}, [c.id for c in citizens]


def generate_messages(count, seed=None, progress=None):
    """Add `count` synthetic messages; `progress(n)` is called after each batch."""
    rng = random.Random(seed)  # noqa: S311  (test data, repeatable by seed)
    opds, categories, subcategories = _reference()
    admin_id, operator_ids, citizen_ids = _generated_people(opds)
    now = utcnow().replace(microsecond=0)
    two_years = int(timedelta(days=730).total_seconds())
    opd_weights = (OPD_WEIGHTS + [1] * len(opds))[: len(opds)]
    statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
    stars, stars_weights = zip(*STARS_WEIGHTS, strict=True)
    messages = Message.__table__
    # Dates in ascending order, as real ids and dates go: index pages fill in order.
    offsets = sorted((rng.randrange(two_years) for _ in range(count)), reverse=True)
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB for this run
    done = 0
    tally = aggregates.Tally()
    while done < count:
        size = min(BATCH, count - done)
        plans = [
            _plan(rng, now - timedelta(seconds=offset), now,
                  rng.choices(statuses, status_weights)[0],
                  rng.choices(opds, opd_weights)[0], categories, subcategories)
            for offset in offsets[done:done + size]
        ]
        rows = []
        for plan in plans:
            message = plan["message"]
            message["code"] = None  # set from the row's id below, as the workflow does
            message["author_id"] = rng.choice(citizen_ids)
            rows.append(message)
        # Core on the session's connection: the ORM's bulk path runs row by row here.
        connection = db.session.connection()
        ids = connection.execute(
            insert(messages).returning(messages.c.id, sort_by_parameter_order=True), rows
        ).scalars().all()
        connection.execute(
            update(messages).where(messages.c.id == bindparam("row_id"))
            .values(code=bindparam("row_code")),
            [{"row_id": message_id,
              "row_code": tracking_code(message_id, plan["message"]["created_at"])}
             for message_id, plan in zip(ids, plans, strict=True)],
        )
        changes, ratings = [], []
        for message_id, plan in zip(ids, plans, strict=True):
            opd_id = plan["message"]["opd_id"]
            for kind, before, after, when, note, who in plan["timeline"]:
                actor = {"citizen": plan["message"]["author_id"], "admin": admin_id,
                         "operator": operator_ids.get(opd_id)}[who]
                changes.append({"message_id": message_id, "kind": kind, "from_status": before,
                                "to_status": after, "note": note, "public": True,
                                "actor_id": actor,
                                "opd_id": opd_id if who == "operator" else None,
                                "created_at": when})
            if plan["message"]["status"] == Status.SELESAI and rng.random() < 0.6:
                rated = min(now, plan["message"]["resolved_at"] + timedelta(
                    hours=rng.randint(1, 96)))
                plan["stars"] = rng.choices(stars, stars_weights)[0]
                ratings.append({"message_id": message_id,
                                "stars": plan["stars"],
                                "comment": None, "created_at": rated})
        for plan in plans:
            m = plan["message"]
            tally.add(m["created_at"], m["opd_id"], m["category_id"], m["status"],
                      (m["forwarded_at"], m["first_response_at"], m["resolved_at"]),
                      plan.get("stars"))
        connection.execute(insert(StatusChange.__table__), changes)
        if ratings:
            connection.execute(insert(Rating.__table__), ratings)
        db.session.commit()
        done += size
        if progress:
            progress(size)
    aggregates.write_tally(db.session.connection(), tally)
    db.session.commit()
    return done


def _plan(rng, created, now, status, opd_id, categories, subcategories):
    """The row of one message and its timeline, consistent with its final status."""

    def later(moment, low_hours, high_hours):
        return min(now, moment + timedelta(seconds=rng.randint(low_hours * 3600,
                                                                high_hours * 3600)))

    topic, body = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    category_code = "aspirasi" if topic == "Usulan" or rng.random() < 0.3 else "pengaduan"
    category_id = categories[category_code]
    message = {
        "title": f"{topic} di {place}", "body": body, "location": place,
        "confidential": False, "status": status, "returned": False,
        "category_id": None, "subcategory_id": None, "opd_id": None,
        "created_at": created, "updated_at": created, "resolution": None,
        "forwarded_at": None, "first_response_at": None, "resolved_at": None, "version": 1,
    }
    timeline = [("submit", None, Status.BARU, created, None, "citizen")]
    if status == Status.BARU:
        return {"message": message, "timeline": timeline}
    if status == Status.DITOLAK:
        rejected = later(created, 1, 72)
        timeline.append(("reject", Status.BARU, Status.DITOLAK, rejected,
                         "Pesan ganda: sudah disampaikan sebelumnya.", "admin"))
        message["updated_at"] = rejected
        return {"message": message, "timeline": timeline}
    message["category_id"] = category_id
    message["subcategory_id"] = rng.choice(subcategories.get(category_id, [None]))
    if status == Status.ESKALASI:
        escalated = later(created, 1, 48)
        timeline.append(("escalate", Status.BARU, Status.ESKALASI, escalated,
                         "OPD yang berwenang belum jelas.", "admin"))
        message["updated_at"] = escalated
        return {"message": message, "timeline": timeline}
    forwarded = later(created, 1, 72)
    message.update(opd_id=opd_id, forwarded_at=forwarded, updated_at=forwarded)
    timeline.append(("forward", Status.BARU, Status.DITERUSKAN, forwarded, None, "admin"))
    if status == Status.DITERUSKAN:
        return {"message": message, "timeline": timeline}
    started = later(forwarded, 1, 120)
    message.update(first_response_at=started, updated_at=started)
    timeline.append(("start", Status.DITERUSKAN, Status.DIPROSES, started,
                     "Pesan diterima dan sedang ditindaklanjuti.", "operator"))
    if status == Status.DIPROSES:
        return {"message": message, "timeline": timeline}
    resolved = later(started, 4, 720)
    message.update(resolved_at=resolved, updated_at=resolved,
                   resolution="Permasalahan telah ditindaklanjuti oleh petugas di lapangan.")
    timeline.append(("resolve", Status.DIPROSES, Status.SELESAI, resolved,
                     "Penanganan selesai.", "operator"))
    return {"message": message, "timeline": timeline}

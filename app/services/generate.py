"""Synthetic messages in bulk, for load tests and benchmarks.

Rows follow the status machine: every message gets the timeline that leads to its
status, the milestones the speed report reads, a resolution when it is done, sometimes
a rating, and its share of the daily aggregates. They are written in bulk, never
through the ORM (app/services/bulk.py: COPY on PostgreSQL; on SQLite relaxed durability
during the load, and into an empty database the indexes built after it), with ids
given here, so no row is read back.
"""

import functools
import random
from datetime import datetime, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import func, select

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
from . import aggregates, calendar, deadlines, page_revisions
from .aggregates_tally import LocalDays
from .bulk import BulkLoad

BATCH = 50_000
CITIZENS = 200
GENERATED_DOMAIN = "generated.invalid"
# Not a hash of anything: no password matches it, so nobody can sign in as these.
NO_PASSWORD = "!"  # noqa: S105

# (status, weight): most messages end up resolved, as in the source document.
STATUS_WEIGHTS = [
    (Status.SELESAI, 72), (Status.DIPROSES, 8), (Status.DITERUSKAN, 5),
    (Status.BARU, 4), (Status.ESKALASI, 2), (Status.DITOLAK, 9), (Status.DIBATALKAN, 1),
]
# Of the rejected messages, this share is appealed (and awaits the Super Admin).
APPEALED_SHARE = 0.2
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


MESSAGE_COLUMNS = ("id", "code", "title", "body", "location", "confidential", "author_id",
                   "category_id", "subcategory_id", "opd_id", "status", "returned",
                   "resolution", "created_at", "updated_at", "forwarded_at",
                   "first_response_at", "resolved_at", "version", "appealed_at",
                   *deadlines.CLOCK_COLUMNS)
CHANGE_COLUMNS = ("id", "message_id", "kind", "from_status", "to_status", "note", "public",
                  "actor_id", "opd_id", "created_at")
RATING_COLUMNS = ("id", "message_id", "stars", "comment", "created_at")
RESOLUTION = "Permasalahan telah ditindaklanjuti oleh petugas di lapangan."
NOTES = {"reject": "Pesan ganda: sudah disampaikan sebelumnya.",
         "escalate": "OPD yang berwenang belum jelas.",
         "start": "Pesan diterima dan sedang ditindaklanjuti.",
         "resolve": "Penanganan selesai.",
         "withdraw": "Sudah tidak diperlukan.",
         "appeal": "Pesan ini berbeda dari pesan sebelumnya."}


def _next_ids(connection):
    return [connection.scalar(select(func.coalesce(func.max(model.id), 0))) + 1
            for model in (Message, StatusChange, Rating)]


def generate_messages(count, seed=None, progress=None):
    """Add `count` synthetic messages; `progress(n)` is called after each batch."""
    rng = random.Random(seed)  # noqa: S311  (test data, repeatable by seed)
    opds, categories, subcategories = _reference()
    admin_id, operator_ids, citizen_ids = _generated_people(opds)
    now = utcnow().replace(microsecond=0)
    two_years = int(timedelta(days=730).total_seconds())
    opd_weights = (OPD_WEIGHTS + [1] * len(opds))[: len(opds)]
    statuses, status_weights = zip(*((str(s), w) for s, w in STATUS_WEIGHTS), strict=True)
    stars, stars_weights = zip(*STARS_WEIGHTS, strict=True)
    # Dates in ascending order, as real ids and dates go: index pages fill in order.
    offsets = sorted((rng.randrange(two_years) for _ in range(count)), reverse=True)
    people = {"admin": admin_id, "operators": operator_ids, "citizens": citizen_ids}
    clocks = _Clocks()
    tally = aggregates.Tally(clocks.calendar)
    with BulkLoad(db.session.connection(), (Message, StatusChange, Rating)) as load:
        ids = _next_ids(load.connection)
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            batch = _Batch(rng, now, ids, people, load.value, clocks, load.sqlite)
            for offset, status, opd_id, star in zip(
                    offsets[done:done + size], rng.choices(statuses, status_weights, k=size),
                    rng.choices(opds, opd_weights, k=size),
                    rng.choices(stars, stars_weights, k=size), strict=True):
                created = now - timedelta(seconds=offset)
                plan = _plan(rng, created, now, status, opd_id, categories, subcategories)
                batch.add(created, plan, star, tally)
            load.insert(Message, MESSAGE_COLUMNS, batch.messages)
            load.insert(StatusChange, CHANGE_COLUMNS, batch.changes)
            load.insert(Rating, RATING_COLUMNS, batch.ratings)
            done += size
            if progress:
                progress(size)
        load.rebuild_indexes()
        aggregates.write_tally(load.connection, tally, bulk=aggregates.empty(load.connection))
        load.analyze()
        page_revisions.site_changed(load.connection)  # pages kept by running servers
        load.commit()
    return done


class _Batch:
    """The rows of one batch, as tuples in the order of the *_COLUMNS above."""

    def __init__(self, rng, now, ids, people, value, clocks, sqlite):
        self.rng, self.now, self.ids, self.value = rng, now, ids, value
        self.clocks = clocks
        self.sqlite = sqlite  # datetimes as text
        self.admin, self.operators = people["admin"], people["operators"]
        self.citizens = people["citizens"]
        self.messages, self.changes, self.ratings = [], [], []

    def add(self, created, plan, star, tally):
        rng, value, ids = self.rng, self.value, self.ids
        (status, title, body, place, category_id, subcategory_id, opd_id, updated, resolution,
         forwarded, first_response, resolved, appealed, timeline) = plan
        message_id = ids[0]
        ids[0] += 1
        clocks = self.clocks.of(category_id, subcategory_id, timeline)
        author = self.citizens[int(rng.random() * len(self.citizens))]
        self.messages.append((
            message_id, tracking_code(message_id, created), title, body, place, False, author,
            category_id, subcategory_id, opd_id, status, False, resolution, value(created),
            value(updated), value(forwarded), value(first_response), value(resolved), 1,
            value(appealed),
            *([value(v) if v.__class__ is datetime else v for v in clocks] if self.sqlite
              else clocks)))
        operator = self.operators.get(opd_id)
        change_id = ids[1]
        append = self.changes.append
        for kind, before, after, when, note, who in timeline:
            actor = author if who == CITIZEN else self.admin if who == ADMIN_ACTOR else operator
            append((change_id, message_id, kind, before, after, note, True, actor,
                    opd_id if who == OPERATOR_ACTOR else None, value(when)))
            change_id += 1
        ids[1] = change_id
        rated = resolved is not None and rng.random() < 0.6
        if rated:
            when = min(self.now, resolved + timedelta(seconds=3600 + int(
                rng.random() * 95 * 3600)))
            self.ratings.append((ids[2], message_id, star, None, value(when)))
            ids[2] += 1
        # aggregates_tally.FIELDS and the stars (paused, reopened, closed: never here)
        tally.add_state((created, opd_id, category_id, status, forwarded, first_response,
                         resolved, False, 0, appealed,
                         *(clocks[i] for i in TALLIED_CLOCKS), None, star if rated else None))


CITIZEN, ADMIN_ACTOR, OPERATOR_ACTOR = "citizen", "admin", "operator"
BARU, ESKALASI, DITERUSKAN, DIPROSES, SELESAI, DITOLAK, DIBATALKAN = (str(s) for s in (
    Status.BARU, Status.ESKALASI, Status.DITERUSKAN, Status.DIPROSES, Status.SELESAI,
    Status.DITOLAK, Status.DIBATALKAN))


class _CachedCalendar(calendar.WorkingCalendar):
    """The calendar with the local days of moments cached (per quarter hour): generate
    asks for them millions of times (the calendar memoises the ends of days itself)."""

    def __init__(self, loaded):
        self.__dict__.update(loaded.__dict__)
        self._local_days = LocalDays()

    def local_day(self, moment):
        return self._local_days.of(moment)


# Where aggregates_tally.FIELDS's clock fields are in deadlines.CLOCK_COLUMNS.
TALLIED_CLOCKS = tuple(deadlines.CLOCK_COLUMNS.index(name) for name in (
    "opd_from", "opd_response_at", "opd_resolved_at", "response_due_at", "resolution_due_at"))


class _Clocks:
    """The deadlines the workflow's moves would have kept (services/deadlines.py)."""

    def __init__(self):
        self.calendar = _CachedCalendar(calendar.load())
        self.levels = functools.cache(deadlines.levels_for)
        self.unset = {**dict.fromkeys(deadlines.CLOCK_COLUMNS), "clock_paused_days": 0,
                      "paused_at": None, "paused_days": 0}

    def of(self, category_id, subcategory_id, timeline):
        """The values of deadlines.CLOCK_COLUMNS after `timeline`."""
        cal, levels = self.calendar, self.levels
        state = SimpleNamespace(**self.unset, category_id=category_id,
                                subcategory_id=subcategory_id)
        times = {kind: when for kind, _before, _after, when, *_rest in timeline}
        deadlines.start_triage(state, times["submit"], cal, levels(None, None))
        if "forward" in times:
            deadlines.start_opd(state, times["forward"], cal,
                                levels(category_id, subcategory_id))
        if "start" in times:
            deadlines.responded(state, times["start"], cal)
        if "resolve" in times:
            deadlines.resolved(state, times["resolve"], cal)
        for end in ("reject", "withdraw"):
            if end in times:
                deadlines.stop_all(state, times[end], cal)
        if "appeal" in times:  # the Super Admin's decision runs on the triage clock
            deadlines.start_triage(state, times["appeal"], cal, levels(None, None))
        return tuple(getattr(state, name) for name in deadlines.CLOCK_COLUMNS)


def _plan(rng, created, now, status, opd_id, categories, subcategories):
    """One message consistent with its final `status`: (status, title, body, place,
    category_id, subcategory_id, opd_id, updated_at, resolution, forwarded_at,
    first_response_at, resolved_at, appealed_at, timeline), the timeline as (kind, from,
    to, when, note, who) entries. A rejection is sometimes appealed (status eskalasi)."""

    def later(moment, low_hours, high_hours):
        seconds = low_hours * 3600 + int(rng.random() * (high_hours - low_hours) * 3600)
        return min(now, moment + timedelta(seconds=seconds))

    topic, body = TOPICS[int(rng.random() * len(TOPICS))]
    place = PLACES[int(rng.random() * len(PLACES))]
    title = f"{topic} di {place}"
    category_code = "aspirasi" if topic == "Usulan" or rng.random() < 0.3 else "pengaduan"
    category_id = categories[category_code]
    timeline = [("submit", None, BARU, created, None, CITIZEN)]
    if status == BARU:
        return (status, title, body, place, None, None, None, created, None, None, None, None,
                None, timeline)
    if status == DIBATALKAN:
        withdrawn = later(created, 1, 24)
        timeline.append(("withdraw", BARU, DIBATALKAN, withdrawn, NOTES["withdraw"], CITIZEN))
        return (status, title, body, place, None, None, None, withdrawn, None, None, None,
                None, None, timeline)
    if status == DITOLAK:
        rejected = later(created, 1, 72)
        timeline.append(("reject", BARU, DITOLAK, rejected, NOTES["reject"], ADMIN_ACTOR))
        if rng.random() >= APPEALED_SHARE:
            return (status, title, body, place, None, None, None, rejected, None, None, None,
                    None, None, timeline)
        appealed = later(rejected, 1, 96)
        timeline.append(("appeal", DITOLAK, ESKALASI, appealed, NOTES["appeal"], CITIZEN))
        return (ESKALASI, title, body, place, None, None, None, appealed, None, None, None,
                None, appealed, timeline)
    choices = subcategories.get(category_id, [None])
    subcategory_id = choices[int(rng.random() * len(choices))]
    if status == ESKALASI:
        escalated = later(created, 1, 48)
        timeline.append(("escalate", BARU, ESKALASI, escalated, NOTES["escalate"],
                         ADMIN_ACTOR))
        return (status, title, body, place, category_id, subcategory_id, None, escalated,
                None, None, None, None, None, timeline)
    forwarded = later(created, 1, 72)
    timeline.append(("forward", BARU, DITERUSKAN, forwarded, None, ADMIN_ACTOR))
    if status == DITERUSKAN:
        return (status, title, body, place, category_id, subcategory_id, opd_id, forwarded,
                None, forwarded, None, None, None, timeline)
    started = later(forwarded, 1, 120)
    timeline.append(("start", DITERUSKAN, DIPROSES, started, NOTES["start"], OPERATOR_ACTOR))
    if status == DIPROSES:
        return (status, title, body, place, category_id, subcategory_id, opd_id, started,
                None, forwarded, started, None, None, timeline)
    resolved = later(started, 4, 720)
    timeline.append(("resolve", DIPROSES, SELESAI, resolved, NOTES["resolve"],
                     OPERATOR_ACTOR))
    return (status, title, body, place, category_id, subcategory_id, opd_id, resolved,
            RESOLUTION, forwarded, started, resolved, None, timeline)

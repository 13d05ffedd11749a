"""Reference data of the source document: its twelve OPDs and the two categories."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import AppUser, Category, Message, Opd, StatusChange, SubCategory

# (short name, full name), in the order of the source document's report.
OPDS = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DISHUT", "Dinas Kehutanan"),
    ("DESDM", "Dinas Energi dan Sumber Daya Mineral"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DKP3A", "Dinas Kependudukan, Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja"),
    ("DPUPR-PERA", "Dinas Pekerjaan Umum, Penataan Ruang dan Perumahan Rakyat"),
    ("DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi"),
    ("DKP", "Dinas Kelautan dan Perikanan"),
    ("DINSOS", "Dinas Sosial"),
]

CATEGORIES = {
    "aspirasi": (
        "Aspirasi",
        [
            "Pelayanan Publik",
            "Infrastruktur dan Tata Ruang",
            "Lingkungan Hidup",
            "Ekonomi dan Investasi",
            "Pendidikan dan Sosial",
            "Teknologi Informasi",
        ],
    ),
    "pengaduan": (
        "Pengaduan",
        [
            "Kerusakan Jalan dan Fasilitas Umum",
            "Pencemaran dan Kerusakan Lingkungan",
            "Pelayanan Administrasi",
            "Ketertiban Umum",
            "Bencana dan Kedaruratan",
            "Layanan Internet dan Aplikasi Pemerintah",
            "Ketenagakerjaan",
            "Bantuan Sosial",
        ],
    ),
}


def load_reference_data():
    """Insert what is missing; never changes what an Admin has edited."""
    added = 0
    known_opds = set(db.session.scalars(select(Opd.short_name)))
    for short_name, name in OPDS:
        if short_name not in known_opds:
            db.session.add(Opd(short_name=short_name, name=name, active=True))
            added += 1
    for code, (name, subcategories) in CATEGORIES.items():
        category = db.session.scalar(select(Category).where(Category.code == code))
        if category is None:
            category = Category(code=code, name=name)
            db.session.add(category)
            db.session.flush()
            added += 1
        existing = {s.name for s in category.subcategories}
        for sub in subcategories:
            if sub not in existing:
                db.session.add(SubCategory(category=category, name=sub, active=True))
                added += 1
    db.session.commit()
    return added


def taken_ignoring_case(column, value, *, exclude_id=None, within=()):
    """Whether another row has `value` in `column`, ignoring case (as the unique
    indexes on lower(...) do). `within`: (column, value) pairs the name is unique in."""
    model = column.class_
    query = select(model.id).where(func.lower(column) == func.lower(value.strip()))
    for scope_column, scope_value in within:
        query = query.where(scope_column == scope_value)
    if exclude_id is not None:
        query = query.where(model.id != int(exclude_id))
    return db.session.scalar(query.limit(1)) is not None


# Who points at a reference row. SQLite does not enforce foreign keys here, so the
# app asks before deleting, on both databases alike.
_REFERENCES = {
    Opd: (Message.opd_id, StatusChange.opd_id, AppUser.opd_id),
    SubCategory: (Message.subcategory_id,),
}


def in_use(item):
    """Whether a message, a timeline entry or an account points at `item`."""
    return any(
        db.session.scalar(select(column).where(column == item.id).limit(1)) is not None
        for column in _REFERENCES.get(type(item), ())
    )

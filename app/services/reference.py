"""Reference data of the source document: its twelve OPDs and the two categories."""

from sqlalchemy import select

from ..extensions import db
from ..models import Category, Opd, SubCategory

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

"""Demo data: the 42 messages of the source document's report.

Their report reproduces the document's figures exactly: 18 Aspirasi and 24
Pengaduan; 38 Selesai and 4 Sedang ditangani; by OPD 14, 8, 6, 2, 2, 2, 2, 2, 1, 1,
1, 1 in the order of `reference.OPDS`. Rows are written directly, as finished histories
that follow the status machine; services sit below the workflow and never call it.
Some carry an answered question or a resolution reopened and resolved again, which
leave the figures as they are.
"""

import random
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from ..accounts.service import create_account
from ..extensions import db
from ..models import (
    AppUser,
    Category,
    Message,
    Opd,
    Rating,
    Status,
    StatusChange,
    tracking_code,
)
from ..policy import ADMIN, OPERATOR, USER
from ..timeutil import utcnow
from . import aggregates, calendar, deadlines

DEMO_DOMAIN = "demo.aspirasietam.local"
DEMO_ADMIN = f"admin@{DEMO_DOMAIN}"

A, P = "aspirasi", "pengaduan"
# (OPD short name, type, title, body, resolution). Four are still being handled:
# their resolution is None and OPEN says how far they got.
MESSAGES = [
    ("DISKOMINFO", P, "Sinyal internet lemah di Kecamatan Long Apari",
     "Sinyal seluler dan internet di Long Apari hampir tidak ada, sehingga warga sulit "
     "mengakses layanan daring pemerintah.", "Diusulkan pembangunan BTS melalui program "
     "BAKTI; survei lokasi sudah dilakukan."),
    ("DISKOMINFO", P, "Situs web Pemprov Kaltim sering tidak dapat diakses",
     "Pada jam kerja situs kaltimprov.go.id sering lambat atau tidak bisa dibuka.",
     "Kapasitas server ditambah dan situs dipindahkan ke pusat data daerah."),
    ("DISKOMINFO", A, "Usulan Wi-Fi publik gratis di Taman Samarendah",
     "Kami mengusulkan titik Wi-Fi publik di Taman Samarendah untuk pelajar dan "
     "pelaku usaha kecil.", "Dua titik Wi-Fi publik telah dipasang di Taman Samarendah."),
    ("DISKOMINFO", P, "Aplikasi perizinan daring gagal mengunggah dokumen",
     "Setiap kali mengunggah dokumen PDF muncul pesan galat dan formulir kosong kembali.",
     "Batas ukuran unggahan diperbaiki; pemohon sudah berhasil mengunggah dokumen."),
    ("DISKOMINFO", A, "Perluasan jaringan internet desa di Kutai Barat",
     "Desa-desa di pedalaman Kutai Barat membutuhkan akses internet untuk sekolah dan "
     "puskesmas.", "Tiga desa dimasukkan dalam program desa digital tahun ini."),
    ("DISKOMINFO", P, "Akun media sosial resmi tidak menanggapi pertanyaan warga",
     "Pertanyaan kami di akun resmi Pemprov tidak dijawab lebih dari dua minggu.",
     "Admin media sosial ditambah dan jadwal piket balasan pesan ditetapkan."),
    ("DISKOMINFO", A, "Pelatihan literasi digital bagi pelaku UMKM",
     "Pelaku UMKM di Samarinda perlu pelatihan pemasaran daring dan keamanan digital.",
     "Pelatihan literasi digital untuk 120 pelaku UMKM telah dilaksanakan."),
    ("DISKOMINFO", P, "Blank spot seluler di jalan poros Samarinda–Bontang",
     "Di beberapa titik jalan poros tidak ada sinyal sama sekali, berbahaya saat darurat.",
     "Operator seluler diminta menambah pemancar; satu titik sudah tertangani."),
    ("DISKOMINFO", A, "Publikasi data APBD dalam format terbuka",
     "Mohon data APBD dipublikasikan dalam format yang dapat diolah, bukan hanya PDF.",
     "Data APBD kini tersedia dalam format CSV di portal satu data."),
    ("DISKOMINFO", P, "Formulir pengaduan daring tidak bisa dikirim lewat ponsel",
     "Tombol kirim pada formulir tidak berfungsi di peramban ponsel.", None),
    ("DISKOMINFO", A, "Siaran informasi kebencanaan dalam bahasa daerah",
     "Informasi peringatan dini sebaiknya juga disiarkan dalam bahasa Banjar dan Dayak.",
     "Siaran radio peringatan dini kini juga menggunakan bahasa daerah."),
    ("DISKOMINFO", P, "Menara BTS di Desa Sepaku belum berfungsi",
     "Menara BTS sudah berdiri sejak tahun lalu tetapi belum memancarkan sinyal.",
     "Menara BTS telah tersambung listrik dan beroperasi."),
    ("DISKOMINFO", A, "Notifikasi WhatsApp untuk Aplikasi Aspirasi Etam",
     "Akan lebih mudah jika perkembangan pesan juga dikirim melalui WhatsApp.",
     "Usulan dicatat dalam rencana pengembangan aplikasi tahun depan."),
    ("DISKOMINFO", P, "Layanan PPID lambat menjawab permohonan informasi",
     "Permohonan informasi publik kami belum dijawab melewati batas sepuluh hari kerja.",
     "Permohonan telah dijawab dan prosedur PPID diperketat."),
    ("DLH", P, "Limbah pabrik sawit mencemari anak Sungai Mahakam",
     "Air sungai berwarna hitam dan berbau sejak pabrik sawit di hulu beroperasi.",
     "Pengambilan sampel dilakukan; perusahaan diberi sanksi administratif."),
    ("DLH", P, "Bau menyengat dari TPA Sambutan",
     "Warga sekitar TPA Sambutan terganggu bau sampah terutama pada musim hujan.",
     "Penutupan sampah harian dengan tanah diterapkan di TPA Sambutan."),
    ("DLH", A, "Penambahan ruang terbuka hijau di Balikpapan",
     "Kami mengusulkan lahan kosong milik daerah dijadikan taman kota.",
     "Usulan diteruskan ke rencana tata ruang; satu taman baru dibangun."),
    ("DLH", P, "Pembakaran sampah terbuka di permukiman Loa Janan",
     "Setiap sore ada pembakaran sampah yang asapnya masuk ke rumah warga.",
     "Sosialisasi dan penyediaan tempat sampah terpadu dilakukan bersama kecamatan."),
    ("DLH", A, "Program bank sampah di sekolah",
     "Sekolah-sekolah perlu didampingi untuk membentuk bank sampah.",
     "Pendampingan bank sampah di 15 sekolah telah berjalan."),
    ("DLH", P, "Air sungai keruh diduga akibat tambang di Sanga-Sanga",
     "Sejak ada aktivitas tambang, air sungai keruh dan tidak bisa dipakai mandi.", None),
    ("DLH", A, "Penanaman mangrove di pesisir Teluk Balikpapan",
     "Kami kelompok pemuda siap membantu penanaman mangrove bila disediakan bibit.",
     "Sebanyak 5.000 bibit mangrove ditanam bersama kelompok pemuda."),
    ("DLH", P, "Asap pembakaran lahan di Kutai Timur",
     "Kabut asap dari pembakaran lahan mengganggu pernapasan anak-anak.",
     "Titik api dipadamkan dan pemilik lahan diproses sesuai aturan."),
    ("DISHUT", P, "Penebangan liar di Tahura Bukit Soeharto",
     "Kami melihat truk pengangkut kayu keluar dari kawasan Tahura pada malam hari.",
     "Patroli gabungan menindak pelaku dan menyita kayu ilegal."),
    ("DISHUT", A, "Pelibatan masyarakat adat dalam perhutanan sosial",
     "Masyarakat adat di Kutai Barat ingin mengelola hutan melalui skema perhutanan sosial.",
     "Pendampingan pengajuan izin perhutanan sosial telah diberikan."),
    ("DISHUT", P, "Perambahan hutan lindung Sungai Wain",
     "Ada pembukaan kebun di dalam kawasan hutan lindung Sungai Wain.",
     "Batas kawasan dipasang ulang dan perambah diberi pembinaan."),
    ("DISHUT", A, "Bibit gratis untuk penghijauan lahan kritis",
     "Kelompok tani kami membutuhkan bibit pohon untuk lahan kritis di desa.", None),
    ("DISHUT", P, "Kebakaran hutan di Muara Kaman terlambat ditangani",
     "Api baru dipadamkan setelah tiga hari karena regu pemadam datang terlambat.",
     "Posko siaga kebakaran hutan didirikan di Muara Kaman."),
    ("DISHUT", A, "Pengembangan ekowisata hutan di Berau",
     "Potensi ekowisata hutan di Berau bisa menjadi sumber penghasilan warga.",
     "Dua desa wisata hutan ditetapkan dan diberi pelatihan pemandu."),
    ("DESDM", P, "Lubang bekas tambang tidak direklamasi di Samarinda",
     "Lubang bekas tambang batu bara dekat permukiman berisi air dan membahayakan anak.",
     "Perusahaan diwajibkan mereklamasi; pagar pengaman sudah dipasang."),
    ("DESDM", A, "PLTS untuk desa terpencil di Mahakam Ulu",
     "Desa kami belum teraliri listrik PLN; kami mengusulkan pembangkit tenaga surya.",
     "PLTS komunal dibangun di dua desa di Mahakam Ulu."),
    ("DPMPTSP", P, "Izin usaha tidak kunjung terbit setelah tiga bulan",
     "Semua persyaratan sudah lengkap tetapi izin belum terbit tanpa penjelasan.",
     "Izin telah terbit; pemohon mendapat penjelasan tahapan verifikasi."),
    ("DPMPTSP", A, "Sosialisasi OSS untuk pelaku usaha kecil di Paser",
     "Banyak pelaku usaha kecil di Paser belum memahami sistem OSS.",
     "Sosialisasi OSS dilaksanakan di tiga kecamatan di Kabupaten Paser."),
    ("DKP3A", A, "Rumah aman bagi korban kekerasan terhadap anak",
     "Kami mengusulkan rumah aman di setiap kabupaten untuk anak korban kekerasan.",
     "Rumah aman kedua dibuka dan layanan pendampingan diperluas."),
    ("DKP3A", P, "Pendampingan korban KDRT belum optimal di Bontang",
     "Korban KDRT di lingkungan kami belum mendapat pendampingan hukum.",
     "Korban telah didampingi petugas UPTD PPA dan penasihat hukum."),
    ("BPBD", P, "Banjir berulang di Jalan DI Panjaitan Samarinda",
     "Setiap hujan deras jalan tergenang setinggi lutut dan warga terjebak.", None),
    ("BPBD", P, "Tanah longsor mengancam rumah warga di Balikpapan Utara",
     "Tebing di belakang rumah warga retak dan sebagian sudah longsor.",
     "Warga direlokasi sementara dan tebing diperkuat dengan bronjong."),
    ("SATPOLPP", P, "Pedagang kaki lima menutup trotoar di Jalan Slamet Riyadi",
     "Pejalan kaki terpaksa berjalan di badan jalan karena trotoar dipakai berjualan.",
     "Pedagang ditata ke lokasi binaan dan trotoar kembali dapat dilalui."),
    ("SATPOLPP", P, "Tempat hiburan malam beroperasi melewati batas jam",
     "Musik keras terdengar sampai pukul tiga pagi dan mengganggu warga.",
     "Pengelola diberi teguran tertulis dan jam operasional diawasi."),
    ("DPUPR-PERA", A, "Pembangunan jembatan penghubung di Kutai Kartanegara",
     "Warga dua desa harus menyeberang dengan perahu; kami mengusulkan jembatan.",
     "Jembatan dimasukkan dalam program pembangunan tahun anggaran berikutnya."),
    ("DISNAKERTRANS", A, "Pelatihan kerja bagi lulusan SMK",
     "Lulusan SMK di Tenggarong membutuhkan pelatihan bersertifikat agar mudah bekerja.",
     "Pelatihan las dan kelistrikan bersertifikat dibuka di BLK."),
    ("DKP", A, "Bantuan mesin kapal bagi nelayan kecil",
     "Nelayan kecil di Muara Badak membutuhkan mesin kapal agar bisa melaut lebih jauh.",
     "Bantuan 20 unit mesin kapal disalurkan kepada kelompok nelayan."),
    ("DINSOS", P, "Bantuan sosial tidak tepat sasaran di Kelurahan Sempaja",
     "Beberapa keluarga mampu menerima bantuan sementara tetangga kami yang miskin tidak.",
     "Data penerima diverifikasi ulang bersama kelurahan dan diperbaiki."),
]
# The four messages still being handled: where each one stands.
OPEN = {"Formulir pengaduan daring tidak bisa dikirim lewat ponsel": Status.DIPROSES,
        "Air sungai keruh diduga akibat tambang di Sanga-Sanga": Status.DIPROSES,
        "Bibit gratis untuk penghijauan lahan kritis": Status.DITERUSKAN,
        "Banjir berulang di Jalan DI Panjaitan Samarinda": Status.DIPROSES}

# Histories of the sender's voice that leave the figures as they are: a question the
# sender answered while the OPD worked on it, and a resolution reopened and resolved
# again (by position in MESSAGES; all of them resolved).
QUESTIONED = {1, 14, 22, 29}
REOPENED = {2, 15}

# The subcategory each OPD's demo messages are classified under, per category.
SUBCATEGORY_BY_OPD = {
    "DISKOMINFO": {"aspirasi": "Teknologi Informasi",
                   "pengaduan": "Layanan Internet dan Aplikasi Pemerintah"},
    "DLH": {"aspirasi": "Lingkungan Hidup", "pengaduan": "Pencemaran dan Kerusakan Lingkungan"},
    "DISHUT": {"aspirasi": "Lingkungan Hidup",
               "pengaduan": "Pencemaran dan Kerusakan Lingkungan"},
    "DESDM": {"aspirasi": "Infrastruktur dan Tata Ruang",
              "pengaduan": "Pencemaran dan Kerusakan Lingkungan"},
    "DPMPTSP": {"aspirasi": "Ekonomi dan Investasi", "pengaduan": "Pelayanan Administrasi"},
    "DKP3A": {"aspirasi": "Pendidikan dan Sosial", "pengaduan": "Bantuan Sosial"},
    "BPBD": {"aspirasi": "Pelayanan Publik", "pengaduan": "Bencana dan Kedaruratan"},
    "SATPOLPP": {"aspirasi": "Pelayanan Publik", "pengaduan": "Ketertiban Umum"},
    "DPUPR-PERA": {"aspirasi": "Infrastruktur dan Tata Ruang",
                   "pengaduan": "Kerusakan Jalan dan Fasilitas Umum"},
    "DISNAKERTRANS": {"aspirasi": "Pendidikan dan Sosial", "pengaduan": "Ketenagakerjaan"},
    "DKP": {"aspirasi": "Ekonomi dan Investasi",
            "pengaduan": "Pencemaran dan Kerusakan Lingkungan"},
    "DINSOS": {"aspirasi": "Pendidikan dan Sosial", "pengaduan": "Bantuan Sosial"},
}

CITIZENS = [("Rahmat Hidayat", "rahmat"), ("Siti Aisyah", "siti"), ("Yohanes Lawing", "yohanes"),
            ("Nur Hasanah", "nur"), ("Andi Saputra", "andi"), ("Dewi Lestari", "dewi")]
COMMENTS = ["Terima kasih, cepat ditanggapi.", "Sudah ada perbaikan, semoga berlanjut.",
            "Penanganannya cukup baik.", "Agak lama, tetapi akhirnya selesai.", None]


class DemoError(RuntimeError):
    """The demo cannot be loaded into this database; the message says why."""


def load_demo(password=None):
    """Load the demo; returns (message count, password of the demo accounts)."""
    if db.session.scalar(select(AppUser.id).where(AppUser.email == DEMO_ADMIN)):
        raise DemoError("The demo data is already loaded in this database.")
    if db.session.scalar(select(func.count()).select_from(Message)):
        raise DemoError("The database already holds messages; the demo loads only into a "
                        "database without any.")
    opds = {o.short_name: o for o in db.session.scalars(select(Opd))}
    categories = {c.code: c for c in db.session.scalars(select(Category))}
    if set(categories) != {A, P} or any(short not in opds for short, *_ in MESSAGES):
        raise DemoError("Reference data is missing: run `flask --app app aspirasi init` first.")

    password = password or "Demo-" + secrets.token_urlsafe(10) + "7"
    admin = create_account(email=DEMO_ADMIN, password=password, full_name="Admin Diskominfo",
                           role=ADMIN, verified=True)
    operators = {
        short: create_account(email=f"operator.{short.lower()}@{DEMO_DOMAIN}", password=password,
                              full_name=f"Operator {short}", role=OPERATOR, opd=opds[short],
                              verified=True)
        for short in dict.fromkeys(short for short, *_ in MESSAGES)
    }
    citizens = [create_account(email=f"{local}@{DEMO_DOMAIN}", password=password,
                               full_name=name, role=USER, verified=True)
                for name, local in CITIZENS]
    db.session.flush()

    rng = random.Random(42)  # noqa: S311  (the same demo every time)
    now = utcnow().replace(microsecond=0)
    tally = aggregates.Tally()
    for number, (short, kind, title, body, resolution) in enumerate(MESSAGES):
        created = now - timedelta(days=330 - number * 7, hours=rng.randint(0, 10))
        message = _add_message(rng, now, created, opds[short], categories[kind], title, body,
                               resolution, OPEN.get(title, Status.SELESAI), admin,
                               operators[short], citizens[number % len(citizens)], number)
        tally.add_state((*aggregates.state_now(message), aggregates.current_stars(message)))
    aggregates.write_tally(db.session.connection(), tally)
    db.session.commit()
    return len(MESSAGES), password


def _clocks(message, category, subcategory, steps):
    """The deadlines the moves would have set, from the steps' times (no randomness is
    drawn here: the demo stays the same)."""
    message.category_id = category.id
    message.subcategory_id = subcategory.id if subcategory is not None else None
    times = {kind: when for kind, _before, _after, when, *_rest in steps}
    cal = calendar.load()
    deadlines.start_triage(message, times["submit"], cal)
    deadlines.start_opd(message, times["forward"], cal)
    if "start" in times:
        deadlines.responded(message, times["start"], cal)
    if "resolve" in times:
        deadlines.resolved(message, times["resolve"], cal)


def _add_message(rng, now, created, opd, category, title, body, resolution, status,
                 admin, operator, citizen, number):
    wanted = SUBCATEGORY_BY_OPD.get(opd.short_name, {}).get(category.code)
    subcategory = next((sub for sub in category.subcategories if sub.name == wanted), None)
    if subcategory is None and category.subcategories:
        subcategory = rng.choice(category.subcategories)
    message = Message(title=title, body=body, author=citizen,
                      category=category, subcategory=subcategory, status=status,
                      created_at=created, updated_at=created)
    steps = [("submit", None, Status.BARU, created, None, citizen, None)]
    forwarded = created + timedelta(hours=rng.randint(2, 30))
    message.opd, message.forwarded_at = opd, forwarded
    steps.append(("forward", Status.BARU, Status.DITERUSKAN, forwarded,
                  f"Diteruskan kepada {opd.name}.", admin, opd))
    if status != Status.DITERUSKAN:
        started = forwarded + timedelta(hours=rng.randint(3, 72))
        message.first_response_at = started
        steps.append(("start", Status.DITERUSKAN, Status.DIPROSES, started,
                      "Pesan diterima dan dilaporkan kepada pejabat struktural.", operator, opd))
        update = started + timedelta(days=rng.randint(1, 5))
        steps.append(("progress", Status.DIPROSES, Status.DIPROSES, update,
                      "Petugas sedang meninjau lokasi.", operator, opd))
    if status == Status.SELESAI:
        resolved = steps[-1][3] + timedelta(days=rng.randint(1, 20))
        message.resolved_at, message.resolution = resolved, resolution
        steps.append(("resolve", Status.DIPROSES, Status.SELESAI, resolved, resolution,
                      operator, opd))
        if rng.random() < 0.7:
            message.rating = Rating(stars=rng.choice([3, 4, 4, 5, 5]),
                                    comment=rng.choice(COMMENTS),
                                    created_at=min(now, resolved + timedelta(days=1)))
    steps, reopened = _voice_steps(steps, number, citizen, operator, opd)
    if reopened:
        message.reopen_count = 1
        if message.rating is not None:  # rated after the second resolution
            message.rating.created_at = steps[-1][3] + timedelta(days=1)
    message.updated_at = steps[-1][3]
    _clocks(message, category, subcategory, steps)
    message.changes = [
        StatusChange(kind=kind, from_status=before, to_status=after, created_at=when, note=note,
                     public=True, actor=actor, opd=where)
        for kind, before, after, when, note, actor, where in steps
    ]
    db.session.add(message)
    db.session.flush()
    message.code = tracking_code(message.id, message.created_at)
    return message


def _voice_steps(steps, number, citizen, operator, opd):
    """`steps` with a question answered half an hour after the work began, or with the
    resolution reopened two days later and resolved again two days after that (the
    first resolution still counts). Returns (steps, reopened)."""
    steps = list(steps)
    if number in QUESTIONED:
        start = next(i for i, step in enumerate(steps) if step[0] == "start")
        began = steps[start][3]
        steps[start + 1:start + 1] = [
            ("ask", Status.DIPROSES, Status.MENUNGGU, began + timedelta(minutes=30),
             "Mohon kirimkan titik lokasi yang lebih tepat.", operator, opd),
            ("answer", Status.MENUNGGU, Status.DIPROSES, began + timedelta(hours=1),
             "Lokasinya di samping kantor desa.", citizen, None),
        ]
    if number not in REOPENED:
        return steps, False
    resolved, resolution = steps[-1][3], steps[-1][4]
    steps += [
        ("reopen", Status.SELESAI, Status.DIPROSES, resolved + timedelta(days=2),
         "Masalahnya muncul lagi.", citizen, None),
        ("resolve", Status.DIPROSES, Status.SELESAI, resolved + timedelta(days=4), resolution,
         operator, opd),
    ]
    return steps, True

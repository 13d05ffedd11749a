"""The yardstick of `bench.pages`: a bare Flask app rendering one Jinja template of
about the size of a citizen page (an 8-link menu and a 4-field form), with no
database, session or extension. Served by gunicorn like the app:

    gunicorn -w 2 'bench.bare:create_app()'
"""

from pathlib import Path

from flask import Flask, render_template

MENU = [("Beranda", "/"), ("Tambah Pesan", "/pesan/add"), ("Pesan Saya", "/pesan/list/"),
        ("Statistik", "/statistik/"), ("Profil", "/profile/"), ("Bantuan", "/bantuan"),
        ("Bahasa", "/lang/en"), ("Keluar", "/logout/")]
FIELDS = [("title", "Judul", "text"), ("body", "Pesan", "textarea"),
          ("location", "Lokasi (opsional)", "text"), ("confidential", "Rahasiakan", "checkbox")]


def create_app():
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "bare_templates"))

    @app.get("/")
    def page():
        return render_template("page.html", menu=MENU, fields=FIELDS, title="Tambah Pesan")

    return app

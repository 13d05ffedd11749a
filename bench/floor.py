"""The floor of `bench.pages`: the app with one more route that draws nothing,
`/_bench/floor`, answering the signed-in person's email. What it costs is what every
page of the app pays before drawing anything (session, user and roles from the
database, Flask-AppBuilder's and the app's request hooks). `bench.pages` serves it
from this folder with the measured checkout on PYTHONPATH:

    cd bench && PYTHONPATH=<checkout> gunicorn -w 2 'floor:create_app()'
"""

FLOOR = "/_bench/floor"


def create_app():
    from flask import g

    from app import create_app as create_the_app  # the checkout being measured

    app = create_the_app()
    app.add_url_rule(FLOOR, "bench_floor",
                     lambda: g.user.email if g.user.is_authenticated else "-")
    return app

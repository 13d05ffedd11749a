"""gunicorn's settings, read from the working directory (`gunicorn 'app:create_app()'`).

gunicorn names itself in a `Server:` header of every response, which only tells an
attacker what to look up; it cannot be switched off by a setting, so the name it
sends is replaced by a neutral one.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "aspirasi"

"""What a request may carry before anything of it reaches the database.

PostgreSQL refuses two kinds of values that SQLite stores without a word: text with a
NUL character, and integers beyond the column's range. Both used to end in a 500 on
PostgreSQL only. Ids are parsed here (`parse_id`), and text the database cannot store
is refused for every page at once (`refuse_unstorable_text`), with a message.
"""

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

# Primary keys are 32-bit integers (INTEGER on PostgreSQL and in the migrations).
MAX_ID = 2**31 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))


class InputRefused(BadRequest):
    """A 400 whose `user_message` the error page shows (in the person's language)."""

    def __init__(self, user_message):
        super().__init__()
        self.user_message = str(user_message)  # raised in a request: its language


def parse_id(value):
    """`value` as a row id (1 to MAX_ID), or None when it cannot name a row."""
    text = str(value) if value is not None else ""
    # isascii: str.isdigit() also accepts digits of other scripts ("٣", "²").
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_ID_DIGITS:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_whole_number(value, lowest, highest):
    """`value` as an int between `lowest` and `highest`, or None."""
    text = (value or "").strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        return None
    number = int(text)
    return number if lowest <= number <= highest else None


def storable(text):
    """Whether the database can store `text`: PostgreSQL refuses the NUL character."""
    return "\x00" not in text


def _carried_text():
    yield from request.args.items(multi=True)
    if request.method not in ("GET", "HEAD"):
        yield from request.form.items(multi=True)


def refuse_unstorable_text():
    """Before each page: a query or form value the database cannot store is refused
    (400) before any view sees it. Nobody types a NUL; only crafted requests carry one."""
    if request.path.startswith("/api/"):
        return  # the REST API answers in its own format (app/api/)
    for name, value in _carried_text():
        if not (storable(name or "") and storable(value or "")):
            raise InputRefused(_l("The request contains characters that cannot be saved "
                                  "(a NUL character). Please remove them and try again."))


def register(app):
    app.before_request(refuse_unstorable_text)

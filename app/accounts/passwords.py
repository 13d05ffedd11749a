"""Password rules (OWASP ASVS 6.2), shared by registration, reset, profile, the staff
screens and the CLI.

A password may be of any composition. It needs at least MIN_LENGTH characters, must
not contain the person's email (its local part) or name, and must not be guessable:
zxcvbn estimates the guesses an attacker needs from its lists of the most common
leaked passwords, English words, first and last names, keyboard walks, sequences,
repeats and dates, plus the words of this app and of the person given below. Below
MIN_SCORE (3: about 10^8 guesses) the password is refused.
"""

import re

from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3
# zxcvbn's time grows fast with the length; the first characters decide the score.
_ESTIMATED_LENGTH = 64
# Personal words shorter than this are too common in other words to refuse.
_SHORTEST_PERSONAL_WORD = 3

# Words a guesser tries first against this app, which zxcvbn's lists do not know.
CONTEXT_WORDS = (
    "aspirasi", "aspirasietam", "etam", "kaltim", "kaltimprov", "kalimantan",
    "diskominfo", "samarinda", "balikpapan", "indonesia", "katasandi", "sandi",
    "pengaduan", "admin", "operator",
)


def _words(text):
    # Numbers alone (a year in a name or an address) are left to zxcvbn's estimate.
    return [w for w in re.split(r"[^0-9a-z]+", (text or "").lower())
            if len(w) >= _SHORTEST_PERSONAL_WORD and not w.isdigit()]


def personal_words(email=None, name=None):
    """The words of a person's email local part and name that a password must avoid."""
    local = (email or "").lower().partition("@")[0]
    words = set(_words(local)) | set(_words(name))
    compact = re.sub(r"[^0-9a-z]", "", local)
    if len(compact) >= _SHORTEST_PERSONAL_WORD and not compact.isdigit():
        words.add(compact)
    return words


def personal_problem(password, *, email=None, name=None):
    """The message when `password` contains the person's email local part or name."""
    lowered = (password or "").lower()
    compact = re.sub(r"[^0-9a-z]", "", lowered)
    if any(word in lowered or word in compact for word in personal_words(email, name)):
        return _("The password must not contain your email address or your name.")
    return None


def password_problem(password, *, email=None, name=None):
    """Why a password is too weak, in the user's language, or None if it is fine.
    `email` and `name` are the person's, when known."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _("Password must be at least %(n)d characters long.", n=MIN_LENGTH)
    problem = personal_problem(password, email=email, name=name)
    if problem:
        return problem
    inputs = [*CONTEXT_WORDS, *personal_words(email, name)]
    if zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=inputs)["score"] < MIN_SCORE:
        return _("This password is too easy to guess: it is a common password or a "
                 "simple pattern. Try three or four unrelated words.")
    return None


def check_password_strength(password):
    """Flask-AppBuilder's hook (FAB_PASSWORD_COMPLEXITY_VALIDATOR)."""
    problem = password_problem(password)
    if problem:
        raise PasswordComplexityValidationError(problem)

"""Configuration: the defaults of each environment, and the one place that reads the
process environment.

`create_app()` asks `load()` for the settings of the environment named by `APP_ENV`
(development, production, testing). Variables of the environment, and of a `.env`
file at the top of the project, override the settings listed in `VARIABLES`, each
parsed by its type; a bad value stops start-up with a message naming the variable.
The testing configuration reads no environment at all, so a developer's shell
cannot change what the tests see.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(SystemExit):
    """A setting that cannot be used; the message names the variable and what it needs."""


class Config:
    APP_NAME = "Aspirasi Etam"
    APP_ICON = "/static/img/logo.svg"
    APP_THEME = ""  # the default theme: other FAB themes import web fonts
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Time zone of the province; everything is stored in UTC.
    TIMEZONE = "Asia/Makassar"

    # Flask-AppBuilder ------------------------------------------------------
    FAB_SECURITY_MANAGER_CLASS = "app.fab.manager.AspirasiSecurityManager"
    FAB_INDEX_VIEW = "app.views.home.HomeView"
    FAB_CREATE_DB = False  # the schema belongs to Alembic
    FAB_UPDATE_PERMS = False  # roles are declared in app/policy.py
    FAB_ADD_SECURITY_PERMISSION_VIEW = False
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = False
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = False
    FAB_API_SWAGGER_UI = True
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Super Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False  # FAB's registration is replaced by our own
    RECAPTCHA_ENABLED = False
    # FAB's blanket limit on the login blueprint is off: the web login and the API's
    # token login share one throttle (app/accounts/throttle.py, README "Signing in").
    AUTH_RATE_LIMITED = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    # Limits of our own account views (Flask-Limiter syntax).
    LOGIN_IP_LIMIT = "20 per minute"
    LOGIN_PAIR_FAILURES = 5  # failures of one account from one address ...
    LOGIN_PAIR_LOCK_MINUTES = 15  # ... lock that pair for this long
    LOGIN_ACCOUNT_CEILING = 20  # failures an hour, from anywhere, before attempts slow down
    LOGIN_DELAY_MAX_SECONDS = 300  # the longest wait between attempts beyond the ceiling
    REGISTER_LIMIT = "5 per hour"
    RESET_LIMIT = "5 per hour"
    RESEND_LIMIT = "3 per 15 minutes"
    TRACK_LIMIT = "20 per minute"  # /lacak lookups per address

    # The citizen's voice after sending, in working days (app/services/windows.py).
    ANSWER_DAYS = 10  # a question unanswered this long finishes the message
    REOPEN_DAYS = 10  # a resolution may be reopened this long after it ...
    REOPEN_LIMIT = 2  # ... at most this many times
    APPEAL_DAYS = 10  # an Admin's rejection may be appealed this long after it
    CLOSE_UNANSWERED_SECONDS = 3600  # how often beat finishes unanswered messages

    # Tokens
    VERIFY_TOKEN_MAX_AGE = 48 * 3600
    RESET_TOKEN_MAX_AGE = 3600

    # Babel: Indonesian first
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "id": {"flag": "id", "name": "Bahasa Indonesia"},
        "en": {"flag": "gb", "name": "English"},
    }

    # Uploads (UPLOAD_FOLDER defaults to <instance>/uploads, see load())
    UPLOAD_FOLDER = None
    MAX_CONTENT_LENGTH = 30 * 1024 * 1024
    MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
    MAX_ATTACHMENTS = 5
    # Photos are refused above this many pixels, read from the header before decoding.
    MAX_IMAGE_PIXELS = 40_000_000

    # Mail: no MAIL_SERVER means "print to the console".
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Aspirasi Etam <no-reply@aspirasietam.kaltimprov.go.id>"
    MAIL_TIMEOUT = 10  # seconds, for each SMTP connection
    # Flask-Mail drops mail silently under TESTING; a row it "sent" that way would be
    # marked sent. No MAIL_SERVER already means "print to the console".
    MAIL_SUPPRESS_SEND = False
    OUTBOX_MAX_ATTEMPTS = 8
    # A worker holds an email it sends this long; past it (the worker died) another
    # may send it. Longer than a send can take (MAIL_TIMEOUT per SMTP step).
    OUTBOX_LEASE_SECONDS = 300
    OUTBOX_SWEEP_SECONDS = 60
    # Deadlines (app/services/sweep.py): how often beat sweeps for reminders and
    # overdue notices, and after how many working days overdue a message is flagged
    # for the Super Admin.
    DEADLINE_SWEEP_SECONDS = 300
    DEADLINE_FLAG_AFTER_DAYS = 3

    # Background work (Celery, app/tasks.py). Without a broker, development queues
    # tasks in a folder of the instance (kombu's filesystem transport); production
    # needs Redis. Testing runs each task inside the call that queues it.
    CELERY_BROKER_URL = None
    CELERY_QUEUE = "aspirasi"
    CELERY_FOLDER = None  # the folder broker's place; default <instance>/celery
    CELERY_TASK_ALWAYS_EAGER = False

    # A citizen's submissions: at most so many per hour and per day; a retried
    # submission (same form token or Idempotency-Key) counts once, for this long.
    SUBMISSIONS_PER_HOUR = 10
    SUBMISSIONS_PER_DAY = 30
    IDEMPOTENCY_HOURS = 24

    # Static files: hashed copies (and gzip) are built here once per set of sources;
    # unhashed names are cached this many seconds, hashed ones for a year.
    STATIC_BUILD_FOLDER = None  # <instance>/static-build, see load()
    STATIC_MAX_AGE = 300

    # The home page's and public statistics' figures are recomputed after this long.
    PUBLIC_FIGURES_TTL = 300

    BASE_URL = "http://127.0.0.1:5000"
    # Reverse proxies in front of the app whose X-Forwarded-* headers are believed.
    TRUST_PROXY = 0

    # The first Super Admin made by `aspirasi init` (no password: one is generated),
    # and the shared password of the demo accounts (none: one is generated).
    ADMIN_EMAIL = "admin@aspirasietam.local"
    ADMIN_PASSWORD = None
    DEMO_PASSWORD = None

    # Signed-in sessions (app/accounts/sessions.py): idle timeouts, absolute lifetime,
    # and how often a session's last activity is written down.
    SESSION_IDLE_MINUTES_STAFF = 30
    SESSION_IDLE_MINUTES_CITIZEN = 60
    SESSION_MAX_HOURS = 12
    SESSION_TOUCH_SECONDS = 60
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Flask-WTF's strict Referer check refuses browsers that send no Referer over
    # HTTPS; the token, SameSite and our Origin check protect forms (security_headers).
    WTF_CSRF_SSL_STRICT = False
    HSTS_MAX_AGE = 365 * 24 * 3600  # sent in production only


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI = None  # <instance>/aspirasi.db, see load()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SQLALCHEMY_DATABASE_URI = None  # DATABASE_URL is required
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-" + secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    BASE_URL = "http://localhost"
    SERVER_NAME = None
    CELERY_TASK_ALWAYS_EAGER = True
    PUBLIC_FIGURES_TTL = 0  # every test sees the figures of its own data
    # Hashing stays real but cheap: the suite creates hundreds of accounts.
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (a method name)


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


# --- reading the environment ------------------------------------------------------

def _text(raw):
    return raw


def _whole(minimum):
    def parse(raw):
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"must be a whole number, got {raw!r}") from None
        if value < minimum:
            raise ValueError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _switch(raw):
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"must be true or false (1/0, yes/no, on/off), got {raw!r}")


def _address(raw):
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"must be an http(s):// address, got {raw!r}")
    return raw.rstrip("/")


def _zone(raw):
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"must be a time zone name such as Asia/Makassar, got {raw!r}") from None
    return raw


def _environment_name(raw):
    if raw not in CONFIGS:
        raise ValueError(f"must be one of {', '.join(sorted(CONFIGS))}, got {raw!r}")
    return raw


@dataclass(frozen=True)
class Variable:
    parse: object
    meaning: str


# Every environment variable the app reads, with the setting it overrides (same name).
VARIABLES = {
    "APP_ENV": Variable(_environment_name, "development, production or testing"),
    "INSTANCE_PATH": Variable(_text, "folder of the SQLite database, uploads and secret key"),
    "SECRET_KEY": Variable(_text, "signs sessions and email links; required in production"),
    "DATABASE_URL": Variable(_text, "postgresql://user@host/db or sqlite:///path"),
    "MAIL_SERVER": Variable(_text, "SMTP host; unset: emails are printed to the console"),
    "MAIL_PORT": Variable(_whole(1), "SMTP port"),
    "MAIL_USE_TLS": Variable(_switch, "STARTTLS"),
    "MAIL_USE_SSL": Variable(_switch, "SMTP over TLS"),
    "MAIL_USERNAME": Variable(_text, "SMTP user"),
    "MAIL_PASSWORD": Variable(_text, "SMTP password"),
    "MAIL_DEFAULT_SENDER": Variable(_text, "From: of every email"),
    "BASE_URL": Variable(_address, "the public address used in email links"),
    "RATELIMIT_STORAGE_URI": Variable(_text, "Flask-Limiter storage, e.g. redis://…"),
    "UPLOAD_FOLDER": Variable(_text, "where attachments are stored (outside the web root)"),
    "MAX_CONTENT_LENGTH": Variable(_whole(1), "largest request in bytes"),
    "MAX_ATTACHMENT_SIZE": Variable(_whole(1), "largest attachment in bytes"),
    "MAX_IMAGE_PIXELS": Variable(_whole(1), "largest photo in pixels (width × height)"),
    "SESSION_IDLE_MINUTES_STAFF": Variable(_whole(1), "staff sessions end after this idle time"),
    "SESSION_IDLE_MINUTES_CITIZEN": Variable(_whole(1), "citizens' sessions end after this idle"
                                             " time"),
    "SESSION_MAX_HOURS": Variable(_whole(1), "every session ends this long after sign-in"),
    "TIMEZONE": Variable(_zone, "the zone times are shown in"),
    "CELERY_BROKER_URL": Variable(_text, "Celery's broker, e.g. redis://127.0.0.1:6379/1"),
    "CELERY_QUEUE": Variable(_text, "the name of the Celery queue"),
    "OUTBOX_SWEEP_SECONDS": Variable(_whole(1), "how often beat looks for email to (re)send"),
    "DEADLINE_SWEEP_SECONDS": Variable(_whole(10), "how often beat sweeps for due times"),
    "DEADLINE_FLAG_AFTER_DAYS": Variable(
        _whole(1), "working days overdue before the Super Admin is alerted"),
    "MAIL_TIMEOUT": Variable(_whole(1), "seconds an SMTP connection may wait"),
    "SUBMISSIONS_PER_HOUR": Variable(_whole(1), "messages a citizen may send per hour"),
    "SUBMISSIONS_PER_DAY": Variable(_whole(1), "messages a citizen may send per day"),
    "TRACK_LIMIT": Variable(_text, "tracking-page lookups per address, e.g. 20 per minute"),
    "ANSWER_DAYS": Variable(_whole(1), "working days a citizen has to answer a question"),
    "REOPEN_DAYS": Variable(_whole(1), "working days after a resolution it may be reopened"),
    "REOPEN_LIMIT": Variable(_whole(0), "how often a citizen may reopen a message"),
    "APPEAL_DAYS": Variable(_whole(1), "working days after an Admin's rejection it may be "
                            "appealed"),
    "TRUST_PROXY": Variable(_whole(0), "number of reverse proxies in front"),
    "ADMIN_EMAIL": Variable(_text, "the first Super Admin (aspirasi init)"),
    "ADMIN_PASSWORD": Variable(_text, "their password; unset: generated and printed once"),
    "DEMO_PASSWORD": Variable(_text, "password of the demo accounts (aspirasi demo)"),
}


def environment():
    """The process environment over the `.env` file (the environment wins)."""
    found = {}
    dotenv = BASE_DIR / ".env"
    if dotenv.is_file():
        found.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
    found.update(os.environ)
    return found


def from_environment(environ):
    """The settings `environ` overrides, parsed; ConfigError names a bad variable."""
    values = {}
    for name, variable in VARIABLES.items():
        raw = environ.get(name)
        if raw is None or raw.strip() == "":
            continue
        try:
            values[name] = variable.parse(raw.strip())
        except ValueError as error:
            raise ConfigError(f"Configuration error: {name} {error}.") from None
    return values


def load(config=None, environ=None):
    """The settings for `create_app(config)`, as a dict.

    `config` is a config class, its name, or a dict of overrides (which may name the
    environment with "APP_ENV"); `environ` defaults to the process environment and
    `.env`. The testing configuration reads no environment.
    """
    overrides = {}
    if isinstance(config, dict):
        overrides, config = dict(config), config.get("APP_ENV")
    explicit = config if isinstance(config, str) else None
    if environ is None and (explicit == "testing" or config is TestingConfig):
        environ = {}
    read = from_environment(environment() if environ is None else environ)
    if isinstance(config, type):
        config_class = config
    else:
        name = explicit or read.get("APP_ENV", "development")
        config_class = CONFIGS.get(name)
        if config_class is None:
            raise ConfigError(f"Unknown APP_ENV {name!r}: use one of {sorted(CONFIGS)}.")
    if config_class is TestingConfig:
        read = {}
    settings = {key: getattr(config_class, key) for key in dir(config_class) if key.isupper()}
    settings.update(read)
    settings.update(overrides)
    settings.pop("APP_ENV", None)
    instance = Path(settings.pop("INSTANCE_PATH", None) or BASE_DIR / "instance")
    settings["INSTANCE_PATH"] = str(instance)
    settings["UPLOAD_FOLDER"] = settings.get("UPLOAD_FOLDER") or str(instance / "uploads")
    settings["STATIC_BUILD_FOLDER"] = (settings.get("STATIC_BUILD_FOLDER")
                                       or str(instance / "static-build"))
    settings["SQLALCHEMY_DATABASE_URI"] = _database_url(settings, instance)
    # The signed cookie is not accepted past the sessions' absolute lifetime either.
    settings["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=settings["SESSION_MAX_HOURS"])
    if settings.get("ENV_NAME") == "production" and not settings.get("CELERY_BROKER_URL"):
        raise ConfigError("CELERY_BROKER_URL is not set: production needs a broker, "
                          "for example redis://127.0.0.1:6379/1.")
    return settings


def _database_url(settings, instance):
    url = settings.pop("DATABASE_URL", None) or settings.get("SQLALCHEMY_DATABASE_URI")
    if not url and settings.get("ENV_NAME") == "development":
        url = f"sqlite:///{instance / 'aspirasi.db'}"
    if not url:
        raise ConfigError("DATABASE_URL is not set: the production configuration needs it.")
    # psycopg 3 is the PostgreSQL driver; accept the common spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url

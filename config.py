"""Configuration classes; every setting can be overridden by an environment variable.

`create_app()` picks the class named by `APP_ENV` (development, production, testing),
then applies environment variables (and a `.env` file when present) on top.
"""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))

load_dotenv(BASE_DIR / ".env")


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    APP_NAME = "Aspirasi Etam"
    APP_ICON = "/static/img/logo.svg"
    APP_THEME = ""  # the default theme: other FAB themes import web fonts
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Time zone of the province; everything is stored in UTC.
    TIMEZONE = "Asia/Makassar"

    # Flask-AppBuilder ------------------------------------------------------
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.AspirasiSecurityManager"
    FAB_INDEX_VIEW = "app.views.home.HomeView"
    FAB_CREATE_DB = False  # the schema belongs to Alembic
    FAB_UPDATE_PERMS = False  # roles are declared in config (app/security/roles.py)
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
    # FAB's blanket limit on the login blueprint is off: our login view limits per IP
    # (LOGIN_IP_LIMIT) and per account (LOGIN_ACCOUNT_LIMIT) itself.
    AUTH_RATE_LIMITED = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    # Limits of our own account views (Flask-Limiter syntax).
    LOGIN_IP_LIMIT = "20 per minute"
    LOGIN_ACCOUNT_LIMIT = "5 per 15 minutes"
    REGISTER_LIMIT = "5 per hour"
    RESET_LIMIT = "5 per hour"
    RESEND_LIMIT = "3 per 15 minutes"

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

    # Uploads
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 30 * 1024 * 1024)
    MAX_ATTACHMENT_SIZE = _env_int("MAX_ATTACHMENT_SIZE", 5 * 1024 * 1024)
    MAX_ATTACHMENTS = 5

    # Mail: no MAIL_SERVER means "print to the console".
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Aspirasi Etam <no-reply@aspirasietam.kaltimprov.go.id>"
    )
    MAIL_TIMEOUT = 10
    # Flask-Mail drops mail silently under TESTING; a row it "sent" that way would be
    # marked sent. No MAIL_SERVER already means "print to the console".
    MAIL_SUPPRESS_SEND = False
    OUTBOX_MAX_ATTEMPTS = 8

    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'aspirasi.db'}"


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
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    BASE_URL = "http://localhost"
    SERVER_NAME = None
    # Hashing stays real but cheap: the suite creates hundreds of accounts.
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (a method name)


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}

# Environment variables that override a setting of the same name.
ENV_OVERRIDES = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "RATELIMIT_STORAGE_URI": str,
    "UPLOAD_FOLDER": str,
    "MAX_CONTENT_LENGTH": int,
    "MAX_ATTACHMENT_SIZE": int,
    "BASE_URL": str,
    "TIMEZONE": str,
}

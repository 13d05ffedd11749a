"""Aspirasi Etam: the application factory."""

import logging
import os
import secrets
from pathlib import Path

from flask import Flask

import config as config_module

from .extensions import csrf, db, mail, migrate

log = logging.getLogger(__name__)


def create_app(config=None):
    """Build the app. `config` is a config class, its name, or a dict of overrides."""
    app = Flask(__name__, instance_path=str(config_module.INSTANCE_DIR))
    _load_config(app, config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)

    from flask_appbuilder import AppBuilder

    from .security.passwords import check_password_strength
    from .security.roles import ROLES

    app.config["FAB_ROLES"] = ROLES
    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_password_strength
    appbuilder = AppBuilder(update_perms=False)
    with app.app_context():
        appbuilder.init_app(app, db.session)
        from .views import register_views

        register_views(appbuilder)
        appbuilder.post_init()

    from . import cli, errors, filters, i18n
    from .services import mail as mail_service

    mail_service.register(app)
    errors.register(app)
    filters.register(app)
    i18n.register(app)
    cli.register(app)
    _trust_proxy(app)
    return app


def _trust_proxy(app):
    """Behind a reverse proxy (nginx…), TRUST_PROXY=1 makes the app see the client's
    address and scheme, so that rate limits and HTTPS-only cookies work."""
    hops = int(os.environ.get("TRUST_PROXY", app.config.get("TRUST_PROXY", 0)) or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _load_config(app, config):
    name = os.environ.get("APP_ENV", "development")
    overrides = {}
    if isinstance(config, dict):
        overrides = config
        name = config.get("APP_ENV", name)
        config = None
    if isinstance(config, str):
        name, config = config, None
    config_class = config or config_module.CONFIGS.get(name)
    if config_class is None:
        raise SystemExit(f"Unknown APP_ENV {name!r}: use one of {sorted(config_module.CONFIGS)}")
    app.config.from_object(config_class)
    if not app.config.get("TESTING"):
        _apply_environment(app)
    app.config.update(overrides)
    _normalise_database_url(app)
    _ensure_secret_key(app)


def _apply_environment(app):
    for key, kind in config_module.ENV_OVERRIDES.items():
        raw = os.environ.get(key)
        if raw in (None, ""):
            continue
        if kind is bool:
            value = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif kind is int:
            try:
                value = int(raw)
            except ValueError:
                raise SystemExit(f"{key} must be a whole number, got {raw!r}") from None
        else:
            value = raw
        app.config[key] = value


def _normalise_database_url(app):
    url = app.config.pop("DATABASE_URL", None) or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        raise SystemExit("DATABASE_URL is not set: the production configuration needs it.")
    # psycopg 3 is the PostgreSQL driver; accept the common spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////:memory"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def _ensure_secret_key(app):
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("ENV_NAME") == "production":
        raise SystemExit(
            "SECRET_KEY is not set. Production needs a long random secret, for example:\n"
            '  export SECRET_KEY="$(python -c \'import secrets; print(secrets.token_hex(32))\')"'
        )
    # Development: generate one once and keep it, so sessions survive restarts.
    key_file = Path(app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()

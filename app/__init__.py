"""Aspirasi Etam: the application factory."""

import logging
import secrets
from pathlib import Path

import config as config_module

from .extensions import csrf, db, mail, migrate
from .flask_app import AspirasiFlask
from .session_cookie import RememberingSessionInterface

log = logging.getLogger(__name__)


def create_app(config=None, environ=None):
    """Build the app. `config` is a config class, its name, or a dict of overrides;
    `environ` replaces the process environment (see `config.load`)."""
    settings = config_module.load(config, environ)
    app = AspirasiFlask(__name__, instance_path=settings["INSTANCE_PATH"])
    app.config.update(settings)
    app.session_interface = RememberingSessionInterface()
    _prepare_sqlite_folder(app)
    _ensure_secret_key(app)
    from . import security_headers

    security_headers.register(app)  # first: its hooks must run for every request

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    mail.init_app(app)
    csrf.init_app(app)

    from flask_appbuilder import AppBuilder

    from .accounts.passwords import check_password_strength
    from .policy import fab_roles

    app.config["FAB_ROLES"] = fab_roles()
    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_password_strength
    appbuilder = AppBuilder(update_perms=False)
    with app.app_context():
        appbuilder.init_app(app, db.session)
        from .views import register_views

        register_views(appbuilder)
        appbuilder.post_init()

    from . import assets, cli, errors, filters, i18n, inputs, tasks, templating
    from .fab import list_arguments
    from .services import (
        deadline_text,
        page_revisions,  # noqa: F401 (its flush listener)
    )
    from .services import mail as mail_service

    tasks.init_app(app)
    mail_service.register(app)
    deadline_text.register(app)
    errors.register(app)
    # Both after FAB's before_request (g.user); list arguments are dropped before
    # unstorable text would refuse the whole page.
    list_arguments.register(app)
    inputs.register(app)
    filters.register(app)
    i18n.register(app)
    cli.register(app)
    assets.register(app)
    templating.register(app)
    _unhook_idle_limiter(app)
    _trust_proxy(app)
    return app


def _unhook_idle_limiter(app):
    """Flask-Limiter checks every request against the limits declared to it, but this
    app declares none: every limit is enforced by `accounts.throttle`, which only uses
    the limiter's storage. With nothing declared (checked here, after every view is
    registered), its three request hooks would only cost time on each request."""
    from flask_limiter import Limiter

    limiter = app.appbuilder.sm.limiter
    manager = getattr(limiter, "limit_manager", None)
    declared = [getattr(manager, name, True) for name in (
        "_application_limits", "_default_limits", "_decorated_limits", "_blueprint_limits")]
    declared += [getattr(limiter, name, True) for name in ("_meta_limits",
                                                             "_marked_for_limiting")]
    if any(declared):
        return
    check, release = limiter._check_request_limit, limiter._Limiter__release_context
    inject = Limiter._Limiter__inject_headers
    app.before_request_funcs[None] = [f for f in app.before_request_funcs[None] if f != check]
    app.after_request_funcs[None] = [
        f for f in app.after_request_funcs[None]
        if not (getattr(f, "func", None) is inject and f.args == (limiter,))]
    app.teardown_request_funcs[None] = [
        f for f in app.teardown_request_funcs[None] if f != release]


def _trust_proxy(app):
    """Behind a reverse proxy (nginx…), TRUST_PROXY=1 makes the app see the client's
    address and scheme, so that rate limits and HTTPS-only cookies work."""
    hops = app.config["TRUST_PROXY"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _prepare_sqlite_folder(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
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

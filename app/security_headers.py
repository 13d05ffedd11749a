"""What every response tells the browser about its own safety, and where a form may
come from.

- Flask-Talisman sets the Content-Security-Policy (scripts only from this site or
  inline with the request's nonce, which FAB's templates and ours carry through
  `baselib.get_nonce()`), frame-ancestors 'none' with X-Frame-Options: DENY (no page
  of ours may be framed, not even by a page of the same site), Referrer-Policy,
  X-Content-Type-Options: nosniff, and HSTS in production only.
- Every page and API answer is `Cache-Control: no-store`: most carry someone's
  personal data, and a shared or back-buttoned browser must not keep them. Static
  files keep their own caching.
- Forms: Flask-WTF's strict Referer check is off (WTF_CSRF_SSL_STRICT = False):
  it refused with 400 a browser that sends no Referer over HTTPS, so such a person
  could not even sign in. What protects a form is the CSRF token (bound to the
  session) plus SameSite=Lax cookies; on top of that, a form POST whose Origin
  header names another site is refused here. A browser that sends no Origin is not
  refused for that alone.
"""

from urllib.parse import urlsplit

from flask import current_app, request
from flask_talisman import Talisman
from flask_talisman.talisman import NONCE_LENGTH, get_random_string
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import Headers

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # + the nonce of each response
    # Bootstrap, select2 and FAB's widgets write style attributes; styles cannot run code.
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def register(app):
    """Call before any other before_request hook, so that even a request refused
    early (CSRF, routing) gets its nonce and its headers."""
    production = app.config.get("ENV_NAME") == "production"
    PrebuiltTalisman(
        app,
        force_https=False,  # the reverse proxy redirects to HTTPS (README, "Production")
        strict_transport_security=production,
        strict_transport_security_max_age=app.config["HSTS_MAX_AGE"],
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.before_request(refuse_forms_from_other_sites)
    app.after_request(no_store)


_NONCE_MARK = "\x00nonce\x00"


class PrebuiltTalisman(Talisman):
    """Talisman with its headers written once instead of on every response.

    Talisman parses its policies anew for every response, though they only change with
    a view's own options (`@talisman(...)`), the request's scheme (HSTS) and the nonce.
    So its own code draws the headers once at start for each scheme, with and without
    a nonce (a mark where the nonce goes), and each response gets those with its nonce
    put in: the same headers in the same order. A view with options of its own is
    served by Talisman's code, as before."""

    def init_app(self, app, **options):
        super().init_app(app, **options)
        self._drawn = {(secure, nonce): self._draw(app, secure, nonce)
                       for secure in (False, True) for nonce in (False, True)}
        self._options_by_endpoint = {}

    def _draw(self, app, secure, nonce):
        url = "https://localhost/" if secure else "http://localhost/"
        with app.test_request_context(base_url=url):
            if nonce:
                request.csp_nonce = _NONCE_MARK
            headers = Headers()
            super()._set_response_headers(_Drawn(headers))
        return [(name, value.split(_NONCE_MARK)) for name, value in headers.items()]

    def _own_options(self):
        """Whether the request's view has Talisman options of its own: asked by three
        hooks of every request, looked up once per endpoint."""
        endpoint = request.endpoint
        own = self._options_by_endpoint.get(endpoint)
        if own is None:
            view = self.app.view_functions.get(endpoint)
            own = self._options_by_endpoint[endpoint] = hasattr(view, "talisman_view_options")
        return own

    def _force_https(self):
        if self.force_https or self._own_options():
            return super()._force_https()
        if self.session_cookie_secure and not self.app.debug:
            self.app.config["SESSION_COOKIE_SECURE"] = True
        return None

    def _make_nonce(self):
        if self._own_options():
            return super()._make_nonce()
        if self.content_security_policy and self.content_security_policy_nonce_in \
                and not getattr(request, "csp_nonce", None):
            request.csp_nonce = get_random_string(NONCE_LENGTH)
        return None

    def _set_response_headers(self, response):
        if self._own_options():
            return super()._set_response_headers(response)
        secure = request.is_secure \
            or request.headers.get("X-Forwarded-Proto", "http") == "https"
        nonce = getattr(request, "csp_nonce", None)
        headers = response.headers
        for name, parts in self._drawn[secure, nonce is not None]:
            headers[name] = parts[0] if len(parts) == 1 else nonce.join(parts)
        return response


class _Drawn:
    """A response that only has headers, for Talisman to write its own into."""

    def __init__(self, headers):
        self.headers = headers


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def refuse_forms_from_other_sites():
    if request.method not in _UNSAFE_METHODS or request.path.startswith("/api/"):
        return  # the API takes bearer tokens, never cookies
    origin = request.headers.get("Origin")
    if origin is None:
        return
    ours = {_origin(request.host_url), _origin(current_app.config["BASE_URL"])}
    if origin.lower() not in ours:  # "null" (a sandboxed frame) included
        raise CSRFError("The form was sent from another site.")


def no_store(response):
    if not (request.endpoint or "").endswith("static"):
        response.headers["Cache-Control"] = "no-store"
    return response

"""Benchmark: where a citizen page's time goes, inside one process (no server, no wrk).

    python -m bench.inprocess [--app-dir DIR] [--requests 300] [--profile PAGE]

Builds the same throwaway demo database as `bench.pages`, signs the demo citizen in,
and calls the WSGI app directly (as gunicorn does, without the sockets): for the bare
page (bench/bare.py), each citizen page and the floor (bench/floor.py), the CPU time
per request (best of 7 batches, `time.process_time`, so that other work on a shared
machine counts less) and the Python function calls per request (counted by cProfile:
exact, whatever the load). Then the time spent in each request hook and in the view
of each page. `--profile PAGE` prints cProfile's top functions for that page.

A benchmark, not a test: nothing here passes or fails.
"""

import argparse
import cProfile
import functools
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BATCHES = 7


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT,
                        help="the checkout to measure (default: this one)")
    parser.add_argument("--requests", type=int, default=350)
    parser.add_argument("--profile", help="a page name to profile (e.g. 'message detail')")
    args = parser.parse_args()
    from . import pages

    app_dir = args.app_dir.resolve()
    with tempfile.TemporaryDirectory(prefix="aspirasi-inprocess-") as scratch:
        env = pages._environment(Path(scratch))
        for command in (["init"], ["demo"]):
            subprocess.run([pages.BIN / "flask", "--app", "app", "aspirasi", *command],
                           cwd=app_dir, env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        os.environ.update(env)
        sys.path[:0] = [str(app_dir), str(HERE)]
        from floor import FLOOR, create_app  # the measured checkout's app

        from .bare import create_app as create_bare_app

        message = pages._citizen_message(env["DATABASE_URL"])
        paths = {name: path.format(message=message) for name, path in pages.PAGES.items()}
        paths["(floor: draws nothing)"] = FLOOR
        app = create_app()
        cookie = _sign_in(app, env["DEMO_PASSWORD"], pages)
        bare = create_bare_app().wsgi_app
        bare_ms, bare_calls = _measure(bare, _environ("/", None, pages), args.requests * 4)
        print(f"{'page':<24} {'ms/request':>10} {'x bare':>7} {'calls':>7}")
        print(f"{'bare Flask page':<24} {bare_ms:>10.3f} {1:>7.1f} {bare_calls:>7.0f}")
        for name, path in paths.items():
            ms, calls = _measure(app.wsgi_app, _environ(path, cookie, pages), args.requests)
            print(f"{name:<24} {ms:>10.3f} {ms / bare_ms:>7.1f} {calls:>7.0f}")
        print("\nms per request in each part (hooks, session, view, rendering):")
        _parts(app, {name: _environ(path, cookie, pages) for name, path in paths.items()},
               args.requests)
        if args.profile:
            _profile(app.wsgi_app, _environ(paths[args.profile], cookie, pages))


def _sign_in(app, password, pages):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=pages.USER_AGENT, REMOTE_ADDR="127.0.0.1")
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login/", data={"username": pages.CITIZEN, "password": password,
                                          "csrf_token": token})
    if answer.status_code != 302:
        raise SystemExit(f"sign-in failed ({answer.status_code})")
    client.get("/")
    return client.get_cookie("session").value


def _environ(path, cookie, pages):
    from werkzeug.test import EnvironBuilder

    headers = {"User-Agent": pages.USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    environ = EnvironBuilder(path=path, headers=headers).get_environ()
    environ["REMOTE_ADDR"] = "127.0.0.1"  # as wrk's: the session is tied to it
    return environ


def _call(wsgi, environ):
    statuses = []
    body = b"".join(wsgi(dict(environ), lambda status, headers, exc=None:
                         statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"{environ['PATH_INFO']}: {statuses[0]}")
    return body


def _measure(wsgi, environ, requests):
    """(CPU ms per request, best of BATCHES; Python calls per request)."""
    for _ in range(20):
        _call(wsgi, environ)
    batch = max(1, requests // 5)
    best = float("inf")
    for _ in range(BATCHES):
        start = time.process_time()
        for _ in range(batch):
            _call(wsgi, environ)
        best = min(best, (time.process_time() - start) / batch)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(20):
        _call(wsgi, environ)
    profile.disable()
    return best * 1000, pstats.Stats(profile).total_calls / 20


def _parts(app, environs, requests):
    spent = defaultdict(float)

    def timed(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - start
        return wrapper

    def label(function):
        return getattr(function, "__qualname__", None) or repr(function)[:40]

    for key, functions in app.before_request_funcs.items():
        app.before_request_funcs[key] = [timed("before " + label(f), f) for f in functions]
    for key, functions in app.after_request_funcs.items():
        app.after_request_funcs[key] = [timed("after " + label(f), f) for f in functions]
    interface = app.session_interface
    interface.open_session = timed("session: open", interface.open_session)
    interface.save_session = timed("session: save", interface.save_session)
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = timed("view (queries and rendering)", view)
    import flask.templating

    flask.templating._render = timed("  of which rendering", flask.templating._render)
    for name, environ in environs.items():
        for _ in range(20):
            _call(app.wsgi_app, environ)
        spent.clear()
        count = max(50, requests // 2)
        start = time.process_time()
        for _ in range(count):
            _call(app.wsgi_app, environ)
        total = time.process_time() - start
        print(f"  {name}: {total / count * 1000:.3f} ms in all")
        for part, seconds in sorted(spent.items(), key=lambda item: -item[1]):
            if seconds / count >= 0.005 / 1000:
                print(f"    {part:<58} {seconds / count * 1000:.3f}")


def _profile(wsgi, environ):
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(100):
        _call(wsgi, environ)
    profile.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(45)
        print(re.sub(r"\S*/site-packages/", "", out.getvalue()))


if __name__ == "__main__":
    main()

"""Benchmark: how fast and how light the citizen pages are.

    python -m bench.pages [--app-dir DIR] [--duration 10] [--no-network]

Builds a throwaway SQLite database with `aspirasi init` and `aspirasi demo`, serves
the app and a bare Flask app (bench/bare.py: one template with an 8-link menu and a
4-field form) side by side, each with gunicorn and 2 sync workers, signs a demo
citizen in, and then:

1. throughput: wrk (2 threads, 16 connections, `--duration` seconds, no
   Accept-Encoding) on the bare page and on each citizen page (home, statistics,
   new-message form, my messages, a message's detail); prints each page's requests
   per second as a share of the bare page's (the bare page is measured before and
   after, and their mean is used), and the same for the app's floor, a signed-in
   route that draws nothing (bench/floor.py);
2. network: each page in Chromium at 390×844 over 400 kbps with 400 ms round trips
   (Chrome DevTools' throttling), with an empty cache and again on a revisit: bytes
   on the wire, requests, and the time to the load event.

`--app-dir` measures another checkout (e.g. `git archive main | tar -x -C /tmp/before`)
with this benchmark. Needs wrk (`make bench-pages` installs it) and /usr/bin/chromium.
A benchmark, not a test: nothing here passes or fails.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .floor import FLOOR

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
CITIZEN = "rahmat@demo.aspirasietam.local"
PAGES = {  # name: path ({message} is one of the citizen's messages)
    "home": "/",
    "statistics": "/statistik/",
    "new-message form": "/pesan/add",
    "my messages": "/pesan/list/",
    "message detail": "/pesan/show/{message}",
}
# One browser: the session is tied to the user agent it was opened with (Flask-Login).
USER_AGENT = "aspirasi-bench"
KBPS = 400
RTT_MS = 400


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT,
                        help="the checkout to measure (default: this one)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--no-network", action="store_true",
                        help="skip the Chromium measurements")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (or `make bench-pages`).")
    with tempfile.TemporaryDirectory(prefix="aspirasi-pages-") as scratch:
        env = _environment(Path(scratch))
        app_dir = args.app_dir.resolve()
        for command in (["init"], ["demo"]):
            subprocess.run([BIN / "flask", "--app", "app", "aspirasi", *command], cwd=app_dir,
                           env=env, check=True, stdout=subprocess.DEVNULL)
        message = _citizen_message(env["DATABASE_URL"])
        paths = {name: path.format(message=message) for name, path in PAGES.items()}
        app_port, bare_port = _free_port(), _free_port()
        # The measured checkout's `app`, with this checkout's floor route added.
        app_env = {**env, "PYTHONPATH": str(app_dir)}
        with _gunicorn(HERE, "floor:create_app()", app_port, app_env), \
                _gunicorn(ROOT, "bench.bare:create_app()", bare_port, env):
            base = f"http://127.0.0.1:{app_port}"
            cookie = _sign_in(base, env["DEMO_PASSWORD"])
            for name, path in paths.items():
                _check_signed_in_page(base + path, cookie, name)
            print(f"== Throughput: wrk -t2 -c16 -d{args.duration}s, gunicorn -w 2 (sync) ==")
            _throughput(base, f"http://127.0.0.1:{bare_port}/", paths, cookie, args.duration)
            if not args.no_network:
                print(f"\n== Network: Chromium 390×844, {KBPS} kbps, {RTT_MS} ms RTT ==")
                _network(base, paths, cookie)


def _environment(scratch):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "MAIL_SERVER", "RATELIMIT_STORAGE_URI")}
    env.update({
        "APP_ENV": "development",
        "INSTANCE_PATH": str(scratch / "instance"),
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}",
        "SECRET_KEY": secrets.token_hex(32),
        "ADMIN_PASSWORD": secrets.token_urlsafe(16),
        "DEMO_PASSWORD": "Bench-" + secrets.token_urlsafe(12),
    })
    return env


def _citizen_message(database_url):
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT message.id FROM message JOIN ab_user ON ab_user.id = message.author_id "
            "WHERE ab_user.email = ? ORDER BY message.id LIMIT 1", (CITIZEN,)).fetchone()
    return row[0]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _gunicorn(directory, target, port, env):
    process = subprocess.Popen(
        [BIN / "gunicorn", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", target],
        cwd=directory, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not start: {target}")
        time.sleep(1)  # both workers
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _sign_in(base, password):
    """The demo citizen's session cookie ("session=…"), after one page view so that
    it carries its CSRF token like a browser's would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": CITIZEN, "password": password,
                                   "csrf_token": token}).encode()
    opener.open(base + "/login/", data=form).read()
    opener.open(base + "/").read()
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "session")


def _check_signed_in_page(url, cookie, name):
    request = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(request) as response:
        body = response.read().decode()
        if response.status != 200 or "/logout/" not in body:
            raise SystemExit(f"{name}: not a signed-in page ({response.status})")


def _wrk(url, duration, cookie=None):
    command = ["wrk", "-t2", "-c16", f"-d{duration}s", "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url}: some answers were not 2xx/3xx:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _throughput(base, bare_url, paths, cookie, duration):
    _wrk(bare_url, 2)  # warm both servers up
    for path in paths.values():
        _wrk(base + path, 2, cookie)
    bare_before = _wrk(bare_url, duration)
    rates = {name: _wrk(base + path, duration, cookie) for name, path in paths.items()}
    rates["(floor: draws nothing)"] = _wrk(base + FLOOR, duration, cookie)
    bare = (bare_before + _wrk(bare_url, duration)) / 2
    print(f"{'page':<20} {'req/s':>8} {'share of bare':>14}")
    print(f"{'bare Flask page':<20} {bare:>8.0f} {'100 %':>14}")
    for name, rate in rates.items():
        print(f"{name:<20} {rate:>8.0f} {100 * rate / bare:>12.0f} %")


def _network(base, paths, cookie):
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    visits = [("home (visitor)", paths["home"], False)]
    visits += [(page, path, True) for page, path in paths.items()]
    print(f"{'page':<22} {'first: KB':>10} {'req':>4} {'load s':>7}   "
          f"{'revisit: KB':>11} {'req':>4} {'load s':>7}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--headless", "--no-sandbox"])
        for label, path, signed_in in visits:
            context = browser.new_context(viewport={"width": 390, "height": 844},
                                          locale="id-ID", user_agent=USER_AGENT)
            if signed_in:
                context.add_cookies([{"name": name, "value": value, "url": base}])
            page = context.new_page()
            first = _throttled_visit(page, base + path)
            again = _throttled_visit(page, base + path)
            print(f"{label:<22} {first[0] / 1024:>10.1f} {first[1]:>4} {first[2]:>7.1f}   "
                  f"{again[0] / 1024:>11.1f} {again[1]:>4} {again[2]:>7.1f}")
            context.close()
        browser.close()


def _throttled_visit(page, url):
    """(bytes on the wire, requests that reached the network, seconds to the load
    event) of one visit."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": RTT_MS,
        "downloadThroughput": KBPS * 1000 / 8, "uploadThroughput": KBPS * 1000 / 8})
    received, sent, cached = [], set(), set()
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    cdp.on("Network.requestWillBeSent", lambda event: sent.add(event["requestId"]))
    cdp.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    cdp.on("Network.responseReceived", lambda event: event["response"].get("fromDiskCache")
           and cached.add(event["requestId"]))
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    seconds = page.evaluate(
        "performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000
    cdp.detach()
    return sum(received), len(sent - cached), seconds


if __name__ == "__main__":
    main()

"""Static files: content-hashed names, compressed copies, a year of caching.

At start-up every file of the app's `static/` and of Flask-AppBuilder's static folder
gets a name that carries a hash of its content (`css/lean.css` →
`css/lean.3f2a9c0b71de.css`), written once into a build folder with a gzip copy
beside it. `url_for('static', …)` and `url_for('appbuilder.static', …)` (FAB's
templates use it too) then give the hashed name, and WhiteNoise serves those names
compressed with `Cache-Control: immutable` for a year: a page visited again fetches
nothing but its HTML. Stylesheets point at the hashed names of the fonts and images
they use. Unhashed names still answer (short caching), for old links.

The build folder is named after the sizes and times of the sources, so a second
process or a restart reuses it; it is built in a temporary folder and renamed into
place, so concurrent workers never see half of it.
"""

import gzip
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from flask import current_app
from whitenoise import WhiteNoise

HASH_LENGTH = 12
YEAR = 365 * 24 * 3600
# Formats that are compressed already gain nothing from gzip.
COMPRESS = {".css", ".js", ".svg", ".json", ".map", ".txt", ".html", ".ttf", ".eot", ".ico"}
MANIFEST = "manifest.json"
FAVICON = "img/favicon.ico"
_HASHED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _sources(app):
    """(endpoint, URL prefix, folder) of each static folder to serve."""
    found = [("static", app.static_url_path, Path(app.static_folder))]
    blueprint = app.blueprints.get("appbuilder")
    if blueprint is not None and blueprint.static_folder:
        prefix = (blueprint.url_prefix or "") + blueprint.static_url_path
        found.append(("appbuilder.static", prefix, Path(blueprint.static_folder)))
    return found


def _files(folder):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix not in (".gz", ".br"):
            yield path.relative_to(folder).as_posix(), path


def _fingerprint(sources):
    digest = hashlib.sha256()
    for endpoint, _prefix, folder in sources:
        for name, path in _files(folder):
            stat = path.stat()
            digest.update(f"{endpoint}\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def hashed_name(name, content):
    path = PurePosixPath(name)
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def _rewrite_css(name, text, names):
    """Point a stylesheet's relative `url(…)`s at the hashed names of their files."""
    base = PurePosixPath(name).parent

    def replace(match):
        quote, target = match.groups()
        if ":" in target or target.startswith(("/", "#", "data:")):
            return match.group(0)
        path, sep, rest = target.partition("?") if "?" in target else target.partition("#")
        resolved = os.path.normpath((base / path).as_posix()).replace(os.sep, "/")
        if resolved not in names:
            return match.group(0)
        relative = os.path.relpath(names[resolved], base.as_posix() or ".").replace(os.sep, "/")
        return f"url({quote}{relative}{sep}{rest}{quote})"

    return _CSS_URL.sub(replace, text)


def _write(target, content):
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    if target.suffix in COMPRESS and len(content) > 256:
        packed = gzip.compress(content, compresslevel=9, mtime=0)
        if len(packed) < len(content) * 0.95:
            target.with_name(target.name + ".gz").write_bytes(packed)


def _build(sources, folder):
    """Write the hashed (and gzipped) copies of every source file into `folder`."""
    manifest = {}
    for endpoint, _prefix, source in sources:
        names = {}
        files = list(_files(source))
        # Fonts and images first, so that the stylesheets can point at their names.
        for name, path in sorted(files, key=lambda item: item[0].endswith(".css")):
            content = path.read_bytes()
            if name.endswith(".css"):
                content = _rewrite_css(name, content.decode("utf-8"), names).encode("utf-8")
            names[name] = hashed_name(name, content)
            _write(folder / endpoint / names[name], content)
        manifest[endpoint] = names
    (folder / MANIFEST).write_text(json.dumps(manifest))
    return manifest


def _load_or_build(root, sources):
    folder = root / _fingerprint(sources)
    if not (folder / MANIFEST).is_file():
        root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=root, prefix=".build-"))
        try:
            _build(sources, scratch)
            try:
                scratch.rename(folder)
            except OSError:  # another process finished first: use its build
                pass
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        for old in root.iterdir():
            if old.is_dir() and old != folder and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    return folder, json.loads((folder / MANIFEST).read_text())


def _is_immutable(_path, url):
    return bool(_HASHED.search(url))


def register(app):
    """Serve static files through WhiteNoise and give url_for their hashed names."""
    sources = _sources(app)
    folder, manifest = _load_or_build(Path(app.config["STATIC_BUILD_FOLDER"]), sources)
    server = WhiteNoise(app.wsgi_app, max_age=app.config["STATIC_MAX_AGE"],
                        immutable_file_test=_is_immutable, allow_all_origins=False)
    server.FOREVER = YEAR
    for endpoint, prefix, source in sources:
        server.add_files(str(folder / endpoint), prefix=prefix)
        server.add_files(str(source), prefix=prefix)  # unhashed names, short caching
    # Browsers ask for /favicon.ico on their own, whatever the page links.
    favicon = manifest["static"].get(FAVICON)
    if favicon:
        server.add_file_to_dictionary("/favicon.ico", str(folder / "static" / favicon))
    app.wsgi_app = server

    @app.url_defaults
    def _hashed_static_names(endpoint, values):
        names = manifest.get(endpoint)
        if names is not None and "filename" in values:
            values["filename"] = names.get(values["filename"], values["filename"])

    app.extensions["asset_manifest"] = manifest


def asset_url(name):
    """The hashed URL of one of the app's static files (for config values like the icon)."""
    names = current_app.extensions.get("asset_manifest", {}).get("static", {})
    return f"{current_app.static_url_path}/{names.get(name, name)}"

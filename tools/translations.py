"""The translation catalogs: extract, merge, compile, check.

    python -m tools.translations update    # = make translations
    python -m tools.translations compile
    python -m tools.translations check

`update` extracts every msgid (English) from `app/` and from the installed
Flask-AppBuilder and WTForms packages (their screens and form errors are shown to
our users and neither ships Indonesian) into `translations/messages.pot`, merges it
into `translations/{id,en}/LC_MESSAGES/messages.po`, compiles the `.mo` files, and
lists the Indonesian entries still to translate. `check` changes nothing: it exits 1
with a list when a msgid is missing from a catalog, an `id` entry is empty or fuzzy,
placeholders differ, or a `.mo` file is out of date.

Adding a string: wrap it (`_("Send")`, `{{ _("Send") }}`), run `make translations`,
write its msgstr in `translations/id/LC_MESSAGES/messages.po` (leave `en` empty: the
English msgid is shown), run `python -m tools.translations compile`, commit the
`.po` and `.mo` files. Translations live in the `.po` file; `update` keeps them.
"""

import io
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
MAPPING = ROOT / "babel.cfg"
LOCALES = ("id", "en")
# The locale whose every entry must be translated; `en` falls back to the msgid.
COMPLETE_LOCALES = ("id",)
PROJECT = "Aspirasi Etam"

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "lazy_gettext": None,
    "_l": None,
    "__": None,
    "lazy_formatter_gettext": None,
}

# Dates in headers would change the files on every run; catalogs only change
# when their messages do.
_VOLATILE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)

_PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]"  # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]"  # %s %d
    r"|\{[^{}]*\}"  # {0} {name}
)


def sources():
    """(label, directory) of every package whose strings the catalogs cover."""
    import flask_appbuilder
    import wtforms

    return [
        ("app", ROOT / "app"),
        ("flask_appbuilder", Path(flask_appbuilder.__file__).parent),
        ("wtforms", Path(wtforms.__file__).parent),
    ]


def extract():
    """A template catalog of every msgid currently in the sources."""
    with MAPPING.open() as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, str(MAPPING))
    template = Catalog(project=PROJECT, fuzzy=False)
    for label, directory in sources():
        found = extract_from_dir(
            directory, method_map, options_map, keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            location = (f"{label}/{Path(filename).as_posix()}", lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def po_path(locale):
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale):
    return po_path(locale).with_suffix(".mo")


def load(locale):
    with po_path(locale).open("rb") as fileobj:
        return read_po(fileobj, locale=locale)


def render_po(catalog):
    """The text of a .po/.pot file: sorted, without line numbers or dates."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    lines = buffer.getvalue().decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(tuple(f'"{h}:' for h in
                                                                  _VOLATILE_HEADERS))]
    return "".join(kept).encode("utf-8")


def compile_mo(catalog):
    """The bytes of the .mo file for a catalog; fuzzy and empty entries are left out."""
    catalog = _copy(catalog)
    catalog.creation_date = catalog.revision_date = _FIXED_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _copy(catalog):
    # Re-reading our own rendering gives an independent catalog to adjust.
    return read_po(io.BytesIO(render_po(catalog)), locale=catalog.locale)


def merge(template, locale):
    """The catalog of `locale` brought in line with the template; translations kept."""
    if po_path(locale).exists():
        catalog = load(locale)
    else:
        catalog = Catalog(locale=locale, project=PROJECT)
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalog.fuzzy = False
    catalog.project = PROJECT
    return catalog


def _write_if_changed(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def compile_all():
    changed = []
    for locale in LOCALES:
        if _write_if_changed(mo_path(locale), compile_mo(load(locale))):
            changed.append(mo_path(locale))
    return changed


# Checks ---------------------------------------------------------------------


def _strings(value):
    if isinstance(value, (list, tuple)):
        return [v for v in value if v is not None]
    return [value] if value else []


def _entries(catalog):
    return [m for m in catalog if m.id]


def _label(message):
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return repr(msgid)


def missing_msgids(template, catalog):
    """msgids in the sources that the catalog does not hold."""
    return sorted(_label(m) for m in _entries(template) if catalog.get(m.id, m.context) is None)


def stale_msgids(template, catalog):
    """msgids in the catalog that no source uses any more."""
    return sorted(_label(m) for m in _entries(catalog) if template.get(m.id, m.context) is None)


def untranslated(catalog):
    """Entries with an empty msgstr or marked fuzzy."""
    problems = []
    for message in _entries(catalog):
        strings = _strings(message.string) if isinstance(message.string, tuple) else [
            message.string]
        if message.fuzzy:
            problems.append(f"{_label(message)} is fuzzy")
        elif not all(strings):
            problems.append(f"{_label(message)} is not translated")
    return problems


def placeholders(text):
    return Counter(_PLACEHOLDER.findall(text.replace("%%", "")))


def placeholder_mismatches(catalog):
    """Translations whose placeholders (`%(name)s`, `%s`, `{0}`) differ from the msgid."""
    problems = []
    for message in _entries(catalog):
        expected = placeholders(_strings(message.id)[-1])
        for text in _strings(message.string):
            if text and placeholders(text) != expected:
                problems.append(
                    f"{_label(message)}: {sorted(placeholders(text).elements())} "
                    f"instead of {sorted(expected.elements())}"
                )
    return problems


def stale_compiled(locale):
    """True when the committed .mo file does not match its .po file."""
    path = mo_path(locale)
    return not path.exists() or path.read_bytes() != compile_mo(load(locale))


def problems():
    """Everything `check` reports, as readable lines (empty when all is well)."""
    template = extract()
    found = []
    if not TEMPLATE.exists() or TEMPLATE.read_bytes() != render_po(template):
        found.append(f"{TEMPLATE.relative_to(ROOT)} is out of date with the sources")
    for locale in LOCALES:
        if not po_path(locale).exists():
            found.append(f"{po_path(locale).relative_to(ROOT)} does not exist")
            continue
        catalog = load(locale)
        where = f"[{locale}]"
        found += [f"{where} missing from the catalog: {m}" for m in
                  missing_msgids(template, catalog)]
        found += [f"{where} no longer in the sources: {m}" for m in
                  stale_msgids(template, catalog)]
        if locale in COMPLETE_LOCALES:
            found += [f"{where} {p}" for p in untranslated(catalog)]
        found += [f"{where} placeholders differ in {p}" for p in placeholder_mismatches(catalog)]
        if stale_compiled(locale):
            found.append(f"{where} {mo_path(locale).relative_to(ROOT)} is out of date")
    return found


# Commands -------------------------------------------------------------------


def update():
    template = extract()
    _write_if_changed(TEMPLATE, render_po(template))
    for locale in LOCALES:
        _write_if_changed(po_path(locale), render_po(merge(template, locale)))
    compile_all()
    todo = {locale: untranslated(load(locale)) for locale in COMPLETE_LOCALES}
    print(f"{len(_entries(template))} messages extracted into {TEMPLATE.relative_to(ROOT)}")
    for locale, entries in todo.items():
        if entries:
            print(f"[{locale}] {len(entries)} to translate in {po_path(locale).relative_to(ROOT)}"
                  ", then run `python -m tools.translations compile`:")
            for line in entries:
                print(f"  {line}")
        else:
            print(f"[{locale}] every entry is translated")
    return 0


def compile_():
    for path in compile_all():
        print(f"compiled {path.relative_to(ROOT)}")
    return 0


def check():
    found = problems()
    if not found:
        print("translations are complete and compiled")
        return 0
    print(f"{len(found)} translation problem(s):")
    for line in found:
        print(f"  {line}")
    print("Run `python -m tools.translations update`, translate, then `... compile`.")
    return 1


COMMANDS = {"update": update, "compile": compile_, "check": check}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(f"usage: python -m tools.translations {{{'|'.join(COMMANDS)}}}", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]]()


if __name__ == "__main__":
    sys.exit(main())

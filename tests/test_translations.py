"""The translation catalogs are complete, compiled and in step with the sources."""

import io

import pytest
from babel.messages.catalog import Catalog
from babel.support import Translations

from tools import translations as tool


@pytest.fixture(scope="module")
def template():
    """Every msgid extractable right now from the app, Flask-AppBuilder and WTForms."""
    return tool.extract()


@pytest.fixture
def catalogs():
    return {locale: tool.load(locale) for locale in tool.LOCALES}


def test_indonesian_catalog_has_no_untranslated_or_fuzzy_entry(catalogs):
    """Is every entry of the id catalog translated and not fuzzy?"""
    assert tool.untranslated(catalogs["id"]) == []


@pytest.mark.parametrize("locale", tool.LOCALES)
def test_compiled_catalog_is_up_to_date_with_its_po_file(locale):
    """Does the committed .mo file hold exactly what its .po file compiles to?"""
    compiled = tool.compile_mo(tool.load(locale))
    assert tool.mo_path(locale).read_bytes() == compiled, (
        f"{tool.mo_path(locale)} is stale: run `python -m tools.translations compile`"
    )


@pytest.mark.parametrize("locale", tool.LOCALES)
def test_catalog_holds_every_msgid_of_the_sources(template, catalogs, locale):
    """Does the catalog contain every msgid currently in the app's and FAB's sources?"""
    assert tool.missing_msgids(template, catalogs[locale]) == []
    assert tool.stale_msgids(template, catalogs[locale]) == []


def test_template_file_matches_the_sources(template):
    """Is translations/messages.pot what `update` would write now (deterministic output)?"""
    assert tool.TEMPLATE.read_bytes() == tool.render_po(template)
    assert tool.render_po(template) == tool.render_po(tool.extract())
    assert b"POT-Creation-Date" not in tool.TEMPLATE.read_bytes()


@pytest.mark.parametrize("locale", tool.LOCALES)
def test_placeholders_match_between_msgid_and_msgstr(catalogs, locale):
    """Does every translation keep the msgid's %(name)s, %s and {0} placeholders?"""
    assert tool.placeholder_mismatches(catalogs[locale]) == []


def test_placeholder_check_catches_a_lost_placeholder():
    """Would a translation that drops or renames a placeholder be reported?"""
    catalog = Catalog(locale="id")
    catalog.add("Hello %(name)s", "Halo")
    catalog.add("Page {0} of {1}", "Halaman {0} dari {2}")
    catalog.add("%(count)d%% done", "%(count)d%% selesai")
    problems = tool.placeholder_mismatches(catalog)
    assert len(problems) == 2
    assert "Hello %(name)s" in problems[0] and "Page {0} of {1}" in problems[1]


def test_check_fails_on_a_new_string_without_translation(tmp_path, monkeypatch, capsys):
    """Does `check` exit non-zero and name a new `_("...")` nobody has translated?"""
    package = tmp_path / "newarea"
    package.mkdir()
    (package / "views.py").write_text('from flask_babel import gettext as _\n'
                                      'TITLE = _("A sentence nobody translated yet")\n')
    real_sources = tool.sources
    monkeypatch.setattr(tool, "sources", lambda: [*real_sources(), ("newarea", package)])

    assert tool.main(["check"]) == 1
    output = capsys.readouterr().out
    assert "[id] missing from the catalog: 'A sentence nobody translated yet'" in output


def test_check_passes_on_the_committed_catalogs(capsys):
    """Does `python -m tools.translations check` pass as the repository stands?"""
    assert tool.main(["check"]) == 0, capsys.readouterr().out


def test_untranslated_and_fuzzy_entries_are_reported():
    """Are an empty msgstr and a fuzzy entry both named by the check?"""
    catalog = Catalog(locale="id")
    catalog.add("Save", "")
    catalog.add("Delete", "Hapus", flags=["fuzzy"])
    catalog.add("Edit", "Ubah")
    assert tool.untranslated(catalog) == ["'Save' is not translated", "'Delete' is fuzzy"]


def test_status_labels_have_the_seed_words_in_indonesian():
    """Do the six statuses read as the product document names them?"""
    with tool.mo_path("id").open("rb") as fileobj:
        catalog = Translations(io.BytesIO(fileobj.read()))
    expected = {
        "New": "Baru",
        "Awaiting decision": "Menunggu keputusan",
        "Forwarded to OPD": "Diteruskan ke OPD",
        "In progress": "Sedang diproses",
        "Resolved": "Selesai",
        "Rejected": "Ditolak",
    }
    assert {msgid: catalog.gettext(msgid) for msgid in expected} == expected


def test_usual_government_wording_is_used():
    """Are the everyday buttons worded as in Indonesian government web apps?"""
    catalog = tool.load("id")
    words = {"Login": "Masuk", "Logout": "Keluar", "Search": "Cari", "Save": "Simpan",
             "Edit": "Ubah", "Delete": "Hapus", "Add": "Tambah", "Back": "Kembali"}
    assert {msgid: catalog[msgid].string for msgid in words} == words

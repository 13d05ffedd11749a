"""No input gives a 500: hostile values for every list view, every form and every id in
a path, for every kind of person, on PostgreSQL (where NUL bytes and integer overflow
bite; SQLite stores both without a word).

Lists come from the URL map (every ModelView's list), forms from crawling each
person's pages, so new ones are fuzzed without being named here; a POST endpoint
whose form nobody meets fails `test_every_form_is_found`. Hypothesis draws the values
(derandomized: every run sends the same requests); about two minutes on two cores.
"""

from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings

from .conftest import app_on_clean_database
from .support.fuzz import (
    edge_list_arguments,
    edge_submissions,
    list_arguments,
    model_columns,
    submissions,
)
from .support.fuzz_site import Site, cast_everything
from .support.web import WEB_CONFIG

pytestmark = pytest.mark.postgresql_only

# Drawn examples, after the deterministic edge cases of each list and form.
LIST_EXAMPLES = 15
FORM_EXAMPLES = 20
# People a list refuses need fewer tries: the refusal comes before any query.
REFUSED_EXAMPLES = 3

# POST endpoints no page offers a form for, and why. (The REST API, under /api/, has
# its own contract tests and fuzzing.)
NO_FORM = {
    "CategoryView.add": "categories are fixed: refused to everyone",
    "CategoryView.edit": "categories are fixed: refused to everyone",
}
# Delete buttons post a form that JavaScript fills in; ids are fuzzed by the id test.
NO_FORM_SUFFIXES = (".delete",)

IDS = ("0", "-1", "abc", "2147483648", "99999999999999999999", "%00")
# Everyone who reaches pages with ids (a visitor is sent to the login page first).
ID_ROLES = ("citizen", "admin", "super_admin", "operator")


def _settings(examples):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=False)


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory):
    uploads = tmp_path_factory.mktemp("fuzz-uploads")
    with app_on_clean_database(database_url, uploads, WEB_CONFIG) as app:
        with app.app_context():
            people = cast_everything()
        yield Site(app, people)


@pytest.fixture(scope="module")
def forms(site):
    """{(endpoint, role): Form} found by crawling every person's pages."""
    found = {}
    for role in site.roles:
        for endpoint, form in site.crawl(role).items():
            found[(endpoint, role)] = form
    return found


def _check(site, role, method, url, pairs=(), files=(), multipart_body=False):
    """Send one request; fail with the request if the answer is a 5xx (also after the
    list guard's redirect)."""
    response = site.send(role, method, url, pairs, files, multipart_body)
    described = f"{role} {method} {url} {list(pairs)!r} files={[f[:2] for f in files]!r}"
    assert response.status_code < 500, f"{response.status_code} for {described}"
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code in (302, 303) and location.path == urlsplit(url).path:
        followed = site.client(role).get(location.path + "?" + location.query)
        assert followed.status_code < 500, f"{followed.status_code} after redirect: {described}"


def _fuzz(strategy, examples, send, explicit=()):
    """`examples` values drawn from `strategy`, after every value of `explicit`."""
    def run(value):
        send(value)

    for value in explicit:
        run = example(value)(run)
    _settings(examples)(given(strategy)(run))()


def _run_all(runs):
    """Run every (label, callable); fail once, listing every run that found a 5xx."""
    failures = []
    for label, run in runs:
        try:
            run()
        except (AssertionError, ExceptionGroup) as error:
            failures.append(f"{label}: {_first_failure(error)}")
    assert not failures, "requests answered with a 5xx:\n" + "\n".join(failures)


def _first_failure(error):
    """The failing request of an assertion (hypothesis groups the explicit examples')."""
    while isinstance(error, ExceptionGroup):
        error = error.exceptions[0]
    return str(error).splitlines()[0]


def test_every_list_view_for_every_role(site):
    """Do hostile _flt_, _oc_, _od_, psize_, page_ and status arguments on every list,
    for every person, give anything but a 5xx?"""
    runs = []
    for name, view in sorted(site.model_views.items()):
        url = site.adapter.build(f"{name}.list")
        strategy = list_arguments(name, model_columns(view.datamodel.obj))
        for role in site.roles:
            site.still_signed_in(role)
            allowed = site.client(role).get(url).status_code == 200
            examples = LIST_EXAMPLES if allowed else REFUSED_EXAMPLES

            edges = list(edge_list_arguments(view)) if allowed else []

            def run(role=role, url=url, strategy=strategy, examples=examples, edges=edges):
                _fuzz(strategy, examples, lambda pairs: _check(site, role, "GET", url, pairs),
                      explicit=edges)

            runs.append((f"{name}.list as {role}", run))
    _run_all(runs)


def test_every_form_is_found(site, forms):
    """Does some person's page offer a form for every POST endpoint of the site (so
    none escapes the form fuzz)?"""
    found = {endpoint for endpoint, _role in forms}
    missing = sorted(
        rule.endpoint for rule in site.app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in found
        and rule.endpoint not in NO_FORM and not rule.rule.startswith("/api/")
        and not rule.endpoint.endswith(NO_FORM_SUFFIXES)
    )
    assert not missing, f"POST endpoints whose form no crawled page shows: {missing}"


def test_every_form_for_every_role(site, forms):
    """Do hostile values in every field of every form (NUL, lone surrogates, huge
    numbers, very long text, wrong types, odd files) give anything but a 5xx?"""
    runs = []
    for (endpoint, role), form in sorted(forms.items()):
        def run(role=role, form=form):
            site.still_signed_in(role)
            _fuzz(submissions(form), FORM_EXAMPLES, lambda sent: _check(
                site, role, form.method, form.action, sent[0], sent[1], form.multipart),
                explicit=list(edge_submissions(form)))

        runs.append((f"{endpoint} as {role} ({form.method} {form.action})", run))
    assert runs
    _run_all(runs)


def test_every_id_in_a_path(site):
    """Do ids that are no row's (beyond 2^31, negative, not numbers) in every path of
    the site give a 404 or another refusal, never a 5xx?"""
    runs = []
    for rule in sorted(site.app.url_map.iter_rules(), key=lambda r: r.rule):
        if "pk" not in rule.arguments or rule.rule.startswith("/api/"):
            continue
        method = "GET" if "GET" in rule.methods else "POST"
        for role in ID_ROLES:
            def run(rule=rule, role=role, method=method):
                site.still_signed_in(role)
                for pk in IDS:
                    url = rule.rule.replace("<pk>", pk).replace("<string:name>", "x")
                    _check(site, role, method, url)

            runs.append((f"{rule.endpoint} as {role}", run))
    _run_all(runs)


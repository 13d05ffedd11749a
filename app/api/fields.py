"""The field types of the API's schemas: strict about requests, exact about answers.

Request fields accept exactly what the OpenAPI document says (a JSON string for a
string, `true`/`false` for a boolean, a whole number in range for an integer); query
strings and multipart forms carry text, so a schema built with `text_input=True`
also reads "3" and "true". Every refusal is a translated message.

Answer fields read what depends on the reader (`view(reader, obj)`, from `app.policy`)
through `dump`, so one schema describes, and produces, every reader's answer.
"""

import contextvars
import re
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, missing, validate

from ..timeutil import to_local

MAX_ID = 2**31 - 1  # ids and counters are 32-bit integer columns

# What counts as blank: every character Python's str.strip() removes, plus the BOM that
# JSON Schema's `\s` also counts. Spelled out, so the document's pattern (ECMA regex)
# and this server agree on it exactly.
BLANK = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{BLANK}]"
_NOT_BLANK = re.compile(NOT_BLANK)
_WHOLE_TEXT = re.compile(r"-?[0-9]{1,12}")
_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FLAG_TEXT = {"true": True, "false": False}  # OpenAPI's form encoding of a boolean

_REQUIRED = _l("This field is required.")


class _Strict:
    """Translated messages for what every field refuses."""

    default_error_messages = {
        "required": _REQUIRED,
        "null": _l("This field must not be null."),
    }

    def make_error(self, key, **_kwargs):
        # Translated now, in the request's language (a lazy string would not be a message).
        return ValidationError(str(self.error_messages[key]))

    def _reads_text(self):
        return getattr(self.root, "text_input", False)


# --- validators that also tell the document their bounds -----------------------------

def _setting(value):
    return current_app.config[value] if isinstance(value, str) else value


class Bounds(validate.Validator):
    """`min <= number <= max`; a bound given as a string names a config setting."""

    def __init__(self, minimum, maximum):
        self.min = minimum
        self._max = maximum

    @property
    def max(self):
        return _setting(self._max)

    def __call__(self, value):
        if not self.min <= value <= self.max:
            raise ValidationError(_("Must be from %(min)d to %(max)d.", min=self.min,
                                    max=self.max))
        return value


class Count(Bounds):
    """At most `max` characters or items (the document's maxLength / maxItems)."""

    equal = None

    def __init__(self, maximum, message):
        super().__init__(None, maximum)
        self.message = message

    def __call__(self, value):
        if len(value) > self.max:
            raise ValidationError(self.message % {"n": self.max})
        return value


class Choice(validate.Validator):
    """One of `choices` (the document's enum)."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __call__(self, value):
        if value not in self.choices:
            raise ValidationError(_("Invalid value, must be one of: %(values)s.",
                                    values=", ".join(self.choices)))
        return value


# --- request fields ---------------------------------------------------------------------

class Text(_Strict, fields.String):
    """Text of at most `max_length` characters, without NUL or unpaired surrogates (the
    database could store neither). A required text must not be blank; an optional one
    may be null."""

    default_error_messages = {
        "invalid": _l("Not a valid text."),
        "unreadable": _l("The text contains characters that are not allowed."),
    }

    def __init__(self, max_length, *, required=False, **kwargs):
        metadata = {"pattern": NOT_BLANK} if required else {}
        super().__init__(required=required, allow_none=not required,
                         validate=Count(max_length, _l("At most %(n)d characters.")),
                         metadata={**metadata, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if "\x00" in value or not _is_unicode(value):
            raise self.make_error("unreadable")
        if self.required and not _NOT_BLANK.search(value):
            raise self.make_error("required")
        return value


def _is_unicode(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return False
    return True


class Whole(_Strict, fields.Integer):
    """A whole number from `minimum` to `maximum` (a config setting's name, or a number)."""

    default_error_messages = {"invalid": _l("Not a valid integer value.")}

    def __init__(self, minimum=1, maximum=MAX_ID, **kwargs):
        super().__init__(strict=True, validate=Bounds(minimum, maximum), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and self._reads_text() and _WHOLE_TEXT.fullmatch(value):
            value = int(value)
        # bool is an int in Python, not in JSON
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class Flag(_Strict, fields.Boolean):
    default_error_messages = {"invalid": _l("Not a valid boolean (true or false).")}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and self._reads_text() and value in _FLAG_TEXT:
            return _FLAG_TEXT[value]
        raise self.make_error("invalid")


class Word(_Strict, fields.String):
    """One of a fixed set of words."""

    default_error_messages = {"invalid": _l("Not a valid text.")}

    def __init__(self, choices, **kwargs):
        super().__init__(validate=Choice(choices), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


class Day(_Strict, fields.Date):
    """A calendar day written YYYY-MM-DD."""

    default_error_messages = {"invalid": _l("Not a valid date value.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _DAY_TEXT.fullmatch(value):
            raise self.make_error("invalid")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None


class Files(_Strict, fields.List):
    """The files of a multipart form field, at most `maximum` (a config setting)."""

    default_error_messages = {"invalid": _l("Send files as file parts of a multipart form.")}

    def __init__(self, maximum, **kwargs):
        binary = fields.Raw(metadata={"type": "string", "format": "binary"})
        limit = Count(maximum, _l("At most %(n)d files can be attached."))
        super().__init__(binary, validate=limit, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list) or not all(hasattr(f, "stream") for f in value):
            raise self.make_error("invalid")
        return value


# --- answer fields ----------------------------------------------------------------------

_reader = contextvars.ContextVar("reader")


def dump(schema, reader, obj):
    """`obj` serialised by `schema` as `reader` may see it."""
    token = _reader.set(reader)
    try:
        return schema().dump(obj)
    finally:
        _reader.reset(token)


class _Seen:
    """A field whose value depends on who reads: `view(reader, obj)`. A view may
    answer `missing` to leave the field out for that reader."""

    def __init__(self, *args, view, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.view(_reader.get(), obj)


class SeenNested(_Seen, fields.Nested):
    pass


class SeenString(_Seen, fields.String):
    pass


class SeenList(_Seen, fields.List):
    pass


class LocalTime(fields.DateTime):
    """A stored naive-UTC time as ISO 8601 in the province's zone (+08:00)."""

    def _serialize(self, value, attr, obj, **kwargs):
        local = to_local(value)
        return local.isoformat() if local is not None else None

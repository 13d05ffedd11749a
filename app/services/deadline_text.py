"""How a due time reads: the stage's name, the citizen's target date, and the badge of
staff lists ("3 hari kerja lagi", "jatuh tempo besok", "terlambat 2 hari kerja")."""

from babel.dates import format_date
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

from ..timeutil import to_local, utcnow
from . import calendar
from .deadlines import RESOLUTION, RESPONSE, TRIAGE, current_clock

CLOCK_LABELS = {
    TRIAGE: _l("verification"),
    RESPONSE: _l("the OPD's first response"),
    RESOLUTION: _l("resolution"),
}
TARGET_LABELS = {
    TRIAGE: _l("Verification target"),
    RESPONSE: _l("OPD response target"),
    RESOLUTION: _l("Resolution target"),
}


def clock_label(clock):
    return str(CLOCK_LABELS.get(clock, ""))


def long_date(value):
    """`Kamis, 20 Agustus 2026` (id) or `Thursday, August 20, 2026` (en)."""
    return format_day(to_local(value).date())


def format_day(day):
    """A local date in words, with its weekday, in the UI language."""
    return format_date(day, "full", locale=str(get_locale() or "id"))


def due_target(message):
    """"Target tanggapan OPD: Kamis, 20 Agustus 2026", or None when no clock runs."""
    clock, due = current_clock(message)
    return target_text(clock, due, paused=message.paused_at is not None)


def target_text(clock, due, paused=False):
    """The target sentence of a clock and its due time (None when no clock runs)."""
    if clock is None:
        return None
    if paused:
        return str(_l("%(target)s: on hold until you answer", target=TARGET_LABELS[clock]))
    return f"{TARGET_LABELS[clock]}: {long_date(due)}"


def due_state(due_at, now=None, cal=None):
    """(kind, working days): ("late", n), ("today", 0), ("tomorrow", 1), ("left", n)."""
    cal = cal or calendar.of_request()
    now = now or utcnow()
    today, due_day = cal.local_day(now), cal.local_day(due_at)
    if due_at < now:
        return "late", max(1, cal.working_days_between(due_day, today))
    if due_day == today:
        return "today", 0
    left = cal.working_days_between(today, due_day)
    return ("tomorrow", 1) if left <= 1 else ("left", left)


def state_words(kind, days):
    """The words of a `due_state`: "terlambat 2 hari kerja", "jatuh tempo besok"…"""
    if kind == "late":
        return ngettext("overdue %(num)d working day", "overdue %(num)d working days", days)
    if kind == "today":
        return str(_l("due today"))
    if kind == "tomorrow":
        return str(_l("due tomorrow"))
    return ngettext("%(num)d working day left", "%(num)d working days left", days)


def register(app):
    app.jinja_env.globals.update(
        clock_label=clock_label, due_target=due_target, target_text=target_text,
        long_date=long_date,
        due_state=due_state, state_words=state_words)

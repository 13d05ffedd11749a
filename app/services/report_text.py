"""The words of a report: headings, period label, durations, and the summary
sentences that state its figures (in the spirit of the source document's ch. IV)."""

from datetime import timedelta

from babel.dates import format_timedelta
from babel.numbers import format_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..filters import format_local_date
from .report_deadlines import on_time_sentence
from .reports import OPEN, REJECTED, RESOLVED, WITHDRAWN

TABLE_TITLES = {
    "by_type": _l("Messages by type"),
    "by_status": _l("Messages by status"),
    "by_opd": _l("Messages by OPD"),
    "satisfaction": _l("Satisfaction by OPD"),
    "speed": _l("Speed by OPD (median time from submission)"),
    "on_time": _l("Deadlines kept by OPD (working days)"),
    "reopened": _l("Resolutions reopened by the sender, by OPD"),
}

ROUNDING_RULE = _l(
    "Percentages are whole numbers rounded by the largest-remainder method, so that "
    "each table adds up to exactly 100%."
)


def locale_name():
    return str(get_locale() or "id")


def report_title(report):
    if report.opd_name:
        return _("Aspiration and complaint report: %(opd)s", opd=report.opd_name)
    return _("Aspiration and complaint report")


def period_label(period):
    if period.all_time:
        return _("All time")
    if period.first is None:
        return _("Until %(last)s", last=format_local_date(period.last))
    if period.last is None:
        return _("From %(first)s", first=format_local_date(period.first))
    return _("%(first)s to %(last)s", first=format_local_date(period.first),
             last=format_local_date(period.last))


def format_duration(seconds):
    if seconds is None:
        return "–"
    return format_timedelta(timedelta(seconds=seconds), threshold=1.5, locale=locale_name())


def format_stars(average):
    if average is None:
        return "–"
    return format_decimal(round(average, 1), format="0.0", locale=locale_name())


def summary(report):
    """Sentences stating the report's figures, in the current UI language."""
    if report.total == 0:
        return [_("No messages were received in this period.")]
    statuses = {row.key: row for row in report.by_status}
    resolved, handled = statuses[RESOLVED], statuses[OPEN]
    sentences = []
    first = _(
        "Of %(total)d messages received, %(resolved)d (%(resolved_pct)d%%) have been "
        "resolved and %(open)d (%(open_pct)d%%) are being handled",
        total=report.total, resolved=resolved.count, resolved_pct=resolved.percent,
        open=handled.count, open_pct=handled.percent,
    )
    if REJECTED in statuses:
        rejected = statuses[REJECTED]
        first += _(", while %(rejected)d (%(rejected_pct)d%%) were rejected",
                   rejected=rejected.count, rejected_pct=rejected.percent)
    if WITHDRAWN in statuses:
        withdrawn = statuses[WITHDRAWN]
        first += _(", and %(withdrawn)d (%(withdrawn_pct)d%%) were withdrawn by their senders",
                   withdrawn=withdrawn.count, withdrawn_pct=withdrawn.percent)
    sentences.append(first + ".")
    if report.appeals:
        sentences.append(ngettext("%(num)d rejection was appealed to the Super Admin.",
                                  "%(num)d rejections were appealed to the Super Admin.",
                                  report.appeals))

    types = {row.key: row for row in report.by_type}
    if "aspirasi" in types and "pengaduan" in types:
        sentences.append(_(
            "%(aspirasi)d (%(aspirasi_pct)d%%) of them are aspirations and %(pengaduan)d "
            "(%(pengaduan_pct)d%%) are complaints.",
            aspirasi=types["aspirasi"].count, aspirasi_pct=types["aspirasi"].percent,
            pengaduan=types["pengaduan"].count, pengaduan_pct=types["pengaduan"].percent,
        ))

    opds = [row for row in report.by_opd if row.key.startswith("opd-")]
    if len(opds) == 1:
        sentences.append(_("All of them went to %(opd)s.", opd=opds[0].name)
                         if opds[0].count == report.total
                         else _("%(count)d (%(pct)d%%) went to %(opd)s.", count=opds[0].count,
                                pct=opds[0].percent, opd=opds[0].name))
    elif opds:
        top = opds[:3]
        listed = ", ".join(f"{row.name} ({row.percent}%)" for row in top[:-1])
        last = f"{top[-1].name} ({top[-1].percent}%)"
        sentences.append(_(
            "%(n)d OPDs received messages; the most went to %(listed)s and %(last)s.",
            n=len(opds), listed=listed, last=last,
        ))
    on_time = on_time_sentence(report)
    if on_time:
        sentences.append(on_time)
    return sentences

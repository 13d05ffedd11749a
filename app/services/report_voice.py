"""The report's figures of the sender's voice: per OPD, how many resolved messages the
sender reopened; and how many rejections were appealed. Read from the period's count
aggregates (`reports.build_report` passes their rows).
"""

from dataclasses import dataclass


@dataclass
class ReopenRow:
    """Of an OPD's messages resolved at least once, how many were reopened (and share)."""

    name: str
    resolved: int
    reopened: int

    @property
    def percent(self):
        return round(self.reopened * 100 / self.resolved) if self.resolved else 0


def reopen_rows(counts, opd_names):
    """`counts`: the rows of aggregates_read.counts."""
    per_opd = {}
    for opd_id, _category, _status, *_values, resolved, reopened, _appealed in counts:
        if opd_id is not None and resolved:
            total = per_opd.get(opd_id, (0, 0))
            per_opd[opd_id] = (total[0] + resolved, total[1] + reopened)
    rows = [ReopenRow(opd_names.get(oid, f"#{oid}"), resolved, reopened)
            for oid, (resolved, reopened) in per_opd.items()]
    return sorted(rows, key=lambda r: (-r.reopened, r.name))


def appeal_count(counts):
    return sum(row[-1] for row in counts)

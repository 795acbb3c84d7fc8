"""A figure answered for a person: the values of a table row, each with what it is.

A flattened indicator row ("Sjukfrånvaro 7,1 % 5,7 % tas fram av VB 2018") is
exact but unreadable: which number is the outcome, which last year's? The
report's own figures, parsed once per corpus by :mod:`assistant.facts.indicators`
(with the table's column headings deciding which value is which), are rendered
as a lead line — "Sjukfrånvaro, 2018: utfall 7,1 %; föregående år (2017) 5,7 %"
— and the verbatim row stays the citation, its span highlighted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from ..documents import Chunk
from ..facts.indicators import Fact
from .model import Sentence

__all__ = ["FactIndex"]


class FactIndex:
    """The corpus's parsed figures, found by where they stand in a report."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        by_report: dict[str, list[Fact]] = {}
        for fact in facts:
            by_report.setdefault(fact.report_id, []).append(fact)
        self._facts = {r: sorted(fs, key=lambda f: f.start) for r, fs in by_report.items()}
        self._starts = {r: [f.start for f in fs] for r, fs in self._facts.items()}

    def within(self, report_id: str, start: int, end: int) -> list[Fact]:
        facts = self._facts.get(report_id, [])
        i = bisect_left(self._starts.get(report_id, []), start)
        out = []
        while i < len(facts) and facts[i].start < end:
            out.append(facts[i])
            i += 1
        return out

    def lead(self, sentence: Sentence, chunk: Chunk) -> str:
        """The lead line for a quoted table row, or '' (prose states its figures readably itself)."""
        facts = [
            f
            for f in self.within(chunk.report_id, chunk.start + sentence.start, chunk.start + sentence.end)
            if f.source == "tabell" and f.value is not None
        ]
        if not facts:
            return ""
        label = facts[0].label
        parts = [_part(f) for f in facts]
        return f"{label}: " + "; ".join(dict.fromkeys(parts))


def _part(f: Fact) -> str:
    """ "utfall 2018 7,1 %", "föregående år (2017) 5,7 %", "årsmål 2018 5,8 %"."""
    if f.kind == "utfall" and f.report_year and f.period_year and f.period_year < f.report_year:
        return f"föregående år ({f.period}) {f.written}"
    return f"{f.kind_label} {f.period} {f.written}"

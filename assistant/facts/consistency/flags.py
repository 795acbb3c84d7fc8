"""A flag: two cited passages side by side and a one-line Swedish explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..indicators import Fact

__all__ = ["FLAG_KINDS", "Flag", "FlagPassage", "describe", "passage_for_fact"]

FLAG_KINDS = {
    "inom_rapport": "Olika värden i samma rapport",
    "mellan_rapporter": "Fjolårsvärde stämmer inte med fjolårets rapport",
    "måluppfyllelse": "Måluppfyllelsen motsägs av underlaget",
    "hopp": "Stort hopp mellan år utan förklaring",
}
_SEVERITY = {"inom_rapport": "varning", "mellan_rapporter": "varning", "måluppfyllelse": "varning", "hopp": "info"}


@dataclass(frozen=True)
class FlagPassage:
    """A cited stretch of a report: what the flag puts side by side."""

    report_id: str
    report_label: str
    start: int
    end: int
    page: int | None
    heading_path: tuple[str, ...]
    text: str
    highlight: str = ""  # the figure or status the flag is about
    also: tuple[str, ...] = ()  # more figures to highlight (a jump within one table row: both values)

    @property
    def highlights(self) -> tuple[str, ...]:
        return tuple(h for h in dict.fromkeys((self.highlight, *self.also)) if h)

    def citation(self) -> str:
        """Where a reader finds it: report, page and section (the character span is in the JSON)."""
        page = f", s. {self.page}" if self.page else ""
        section = f', avsnitt "{self.heading_path[-1]}"' if self.heading_path else ""
        return f"{self.report_label} ({self.report_id}{page}{section})"

    def to_json(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "report": self.report_label,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "heading_path": list(self.heading_path),
            "text": self.text,
            "highlight": self.highlight,
            "highlights": list(self.highlights),
        }


@dataclass(frozen=True)
class Flag:
    kind: str
    indicator: str
    indicator_name: str
    explanation: str  # one line, Swedish
    first: FlagPassage
    second: FlagPassage
    key: str  # stable identity (kind, report, indicator, values) for reviews and fixtures

    @property
    def severity(self) -> str:
        return _SEVERITY[self.kind]

    @property
    def same_passage(self) -> bool:
        """Both sides are one passage (a jump within one table row): shown once, both values highlighted."""
        a, b = self.first, self.second
        return (a.report_id, a.start, a.end) == (b.report_id, b.start, b.end)

    @property
    def passages(self) -> tuple[FlagPassage, ...]:
        """What to show: both passages, or the one they share."""
        return (self.first,) if self.same_passage else (self.first, self.second)

    @property
    def report_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.first.report_id, self.second.report_id)))

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "kind_label": FLAG_KINDS[self.kind],
            "severity": self.severity,
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "explanation": self.explanation,
            "first": self.first.to_json(),
            "second": self.second.to_json(),
            "same_passage": self.same_passage,
        }


def passage_for_fact(doc_labels: dict[str, str], f: Fact) -> FlagPassage:
    """The table row or sentence a fact stands in, the figure highlighted."""
    return FlagPassage(
        f.report_id,
        doc_labels.get(f.report_id, f.report_id),
        f.context_start,
        f.context_end,
        f.page,
        f.heading_path,
        f.context,
        f.written,
    )


def describe(f: Fact) -> str:
    """ "7,1 % (2018, tabellen)"."""
    where = "tabellen" if f.source == "tabell" else "texten"
    return f"{f.written} ({f.period}, {where})"

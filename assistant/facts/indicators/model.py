"""A reported figure as data: :class:`Fact`, with the source it can be cited by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KIND_LABELS", "Fact"]

KIND_LABELS = {
    "utfall": "utfall",
    "årsmål": "årsmål",
    "kf_årsmål": "KF:s årsmål",
    "prognos": "prognos helår",
}


@dataclass(frozen=True)
class Fact:
    """One reported figure, where it was stated, and what it is about."""

    report_id: str
    report_year: int | None
    report_type: str
    org_unit: str | None  # the reporting unit, e.g. "Assistansenheten"
    indicator: str  # normalised key, e.g. "sjukfranvaro"
    indicator_name: str  # display name of the series
    label: str  # the indicator or quantity as the report words it
    kind: str  # "utfall" | "årsmål" | "kf_årsmål" | "prognos"
    value: float | None  # None for a target stated in words ("tas fram av nämnden")
    written: str  # exactly as in the text
    unit: str | None  # "%", "tkr", "mnkr", "kronor", "personer", …
    period: str  # Swedish label: "2018", "november 2012", "rullande 12 mån (nov 2014)"
    period_year: int | None
    period_type: str  # "år" | "månad" | "rullande 12 mån"
    period_month: int | None
    quoted: bool  # a previous period's value quoted in a later report ("VB 2017")
    source: str  # "tabell" | "text"
    start: int  # offsets into Document.text of the figure
    end: int
    page: int | None
    heading_path: tuple[str, ...]
    context: str  # the table row or sentence the figure stands in
    context_start: int
    context_end: int
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    bound: str | None = None  # "upper" ("under 2 %"), "lower" ("minst 80"), "comparison" ("lägre än 10 %")
    scope: str | None = None  # "män/pojkar", "enhet 6227", "socialpsykiatri", … (None = whole unit)
    note: str = ""  # how an ambiguous table cell was placed

    @property
    def shown(self) -> str:
        """The figure as written, with its unit when the cell has none ("-2 163 tkr") and the word that
        gave its sign when the figure does not show it ("4,77 mnkr (underskott)": the value is −4,77)."""
        written = self.written
        if self.unit and self.value is not None and not any(c.isalpha() or c == "%" for c in written):
            written = f"{written} {self.unit}"  # a table cell "-2 163" of a table in tkr
        signed = written.lstrip().startswith(("-", "−"))
        if self.value is not None and self.value < 0 and not signed and self.label.lower() not in written.lower():
            return f"{written} ({self.label})"
        return written

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def citation(self) -> str:
        page = f", s. {self.page}" if self.page else ""
        where = " › ".join(self.heading_path[-2:]) if self.heading_path else ""
        return f"{self.report_id}{page}{', ' + where if where else ''} [{self.start}–{self.end}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "report_year": self.report_year,
            "org_unit": self.org_unit,
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "label": self.label,
            "kind": self.kind,
            "value": self.value,
            "written": self.written,
            "unit": self.unit,
            "low": self.low,
            "high": self.high,
            "approximate": self.approximate,
            "bound": self.bound,
            "period": self.period,
            "period_year": self.period_year,
            "period_type": self.period_type,
            "quoted": self.quoted,
            "scope": self.scope,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "heading_path": list(self.heading_path),
            "context": self.context,
            "note": self.note,
        }

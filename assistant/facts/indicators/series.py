"""An indicator year by year: the known indicators, what a user means by a name, the series of points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ...errors import AssistantError
from ..figures import convert
from .definitions import fold, match_indicator
from .model import Fact

__all__ = ["SeriesNote", "SeriesPoint", "find_indicator", "known_indicators", "series", "series_notes", "values_phrase"]

_KIND_ORDER = {"utfall": 0, "prognos": 1, "årsmål": 2, "kf_årsmål": 3}


def values_phrase(n: int) -> str:
    """ "1 värde", "2 värden": the count as the CLI and the UI write it."""
    return f"{n} värde" if n == 1 else f"{n} värden"


def known_indicators(facts: Iterable[Fact]) -> list[tuple[str, str, int]]:
    """(key, display name, number of values) for every indicator with values, by name.

    The number is that of the points :func:`series` gives, so the UI's picker and
    ``compare`` count alike (a figure restated in the same report, or a target
    stated in words, is not a value of its own).
    """
    facts = list(facts)
    names: dict[str, str] = {}
    for f in facts:
        names.setdefault(f.indicator, f.indicator_name)
    counts = {key: len(series(facts, key)) for key in names}
    return sorted(((k, names[k], c) for k, c in counts.items() if c), key=lambda x: x[1].lower())


def find_indicator(facts: Sequence[Fact], query: str) -> str:
    """The indicator key a user means by ``query`` (key, name or a wording from a report)."""
    q = fold(query)
    keys = {f.indicator for f in facts}
    if q in keys:
        return q
    for key, name, _ in known_indicators(facts):
        if fold(name) == q:
            return key
    d = match_indicator(query)
    if d.key in keys:
        return d.key
    candidates = [k for k, name, _ in known_indicators(facts) if q in fold(name) or q in k]
    if not candidates:
        # A compound whose last part is the indicator ("budgetresultat" → "resultat").
        candidates = [k for k, _, _ in known_indicators(facts) if len(k) >= 4 and q.endswith(k)]
    if len(candidates) == 1:
        return candidates[0]
    known = "\n".join(f"  {name} ({key})" for key, name, _ in known_indicators(facts))
    if len(candidates) > 1:
        raise AssistantError(
            f"'{query}' kan betyda flera indikatorer: {', '.join(candidates)}. Skriv nyckeln. "
            f"Kända indikatorer:\n{known}"
        )
    raise AssistantError(f"Hittar ingen indikator '{query}'. Kända indikatorer:\n{known}")


@dataclass(frozen=True)
class SeriesPoint:
    """One value of an indicator for one period, with the fact it comes from."""

    year: int | None
    value: float | None  # in ``unit``: amounts of money in one unit for the whole series
    kind: str
    fact: Fact
    unit: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year, "value": self.value, "kind": self.kind, "unit": self.unit, "fact": self.fact.to_json(),
        }  # fmt: skip


@dataclass(frozen=True)
class SeriesNote:
    """A cell of the series that is no value: a target stated in words ("tas fram av nämnden")."""

    year: int | None
    text: str  # "KF:s årsmål 2018: tas fram av (inget värde)"
    fact: Fact

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "kind": self.fact.kind, "text": self.text, "fact": self.fact.to_json()}


def _of(facts: Iterable[Fact], indicator: str, unit: str | None) -> list[Fact]:
    u = (unit or "").lower()
    return [
        f
        for f in facts
        if f.indicator == indicator
        and (unit is None or (f.org_unit or "").lower() == u or u in (f.org_unit or "").lower())
    ]


def series_notes(facts: Iterable[Fact], indicator: str, unit: str | None = None) -> list[SeriesNote]:
    """The indicator's targets stated in words, one per report, kind and period: notes beside the series."""
    notes: list[SeriesNote] = []
    seen: set[tuple[Any, ...]] = set()
    for f in sorted(_of(facts, indicator, unit), key=lambda f: (f.period_year or 0, f.report_id, f.start)):
        key = (f.report_id, f.kind, f.period)
        if f.value is not None or key in seen:
            continue
        seen.add(key)
        who = f" ({f.org_unit})" if f.org_unit and unit is None else ""
        notes.append(SeriesNote(f.period_year, f"{f.kind_label} {f.period}{who}: {f.written} (inget värde)", f))
    return notes


def series(facts: Iterable[Fact], indicator: str, unit: str | None = None) -> list[SeriesPoint]:
    """The values of one indicator, year by year (``unit`` filters on the reporting unit).

    Only figures are values: a target stated in words is a note (:func:`series_notes`).
    """
    chosen = [f for f in _of(facts, indicator, unit) if f.value is not None]
    chosen.sort(
        key=lambda f: (
            f.period_year or 0,
            _KIND_ORDER.get(f.kind, 9),
            f.scope or "",
            f.period_type != "år",
            f.quoted,
            f.source != "tabell",
            f.report_id,
            f.start,
        )
    )
    points: list[SeriesPoint] = []
    seen: set[tuple[Any, ...]] = set()
    for f in chosen:
        # The same figure restated elsewhere in the same report is one point.
        key = (f.report_id, f.kind, f.scope, f.period, f.value, f.quoted)
        if key in seen:
            continue
        seen.add(key)
        points.append(SeriesPoint(f.period_year, f.value, f.kind, f, f.unit))
    return _one_money_unit(points)


def _one_money_unit(points: list[SeriesPoint]) -> list[SeriesPoint]:
    """Amounts in mnkr and tkr in one series (a report writes "4,77 mnkr", the next a table "in tkr"):
    all in the unit most of them have, so that a chart compares like with like."""
    money = [p.unit for p in points if p.unit in ("mnkr", "tkr")]
    if len(set(money)) < 2:
        return points
    target = max(sorted(set(money)), key=money.count)
    out = []
    for p in points:
        value = convert(p.value, p.unit, target) if p.value is not None and p.unit in money else None
        out.append(replace(p, value=value, unit=target) if value is not None else p)
    return out

"""An indicator year by year: the known indicators, what a user means by a name, the series of points."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import AssistantError
from .definitions import fold, match_indicator
from .model import Fact

__all__ = ["SeriesPoint", "find_indicator", "known_indicators", "series"]

_KIND_ORDER = {"utfall": 0, "prognos": 1, "årsmål": 2, "kf_årsmål": 3}


def known_indicators(facts: Iterable[Fact]) -> list[tuple[str, str, int]]:
    """(key, display name, number of facts) for every indicator with facts, by name."""
    counts: dict[str, tuple[str, int]] = {}
    for f in facts:
        name, n = counts.get(f.indicator, (f.indicator_name, 0))
        counts[f.indicator] = (name, n + 1)
    return sorted(((k, n, c) for k, (n, c) in counts.items()), key=lambda x: x[1].lower())


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
    value: float | None
    kind: str
    fact: Fact

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value, "kind": self.kind, "fact": self.fact.to_json()}


def series(facts: Iterable[Fact], indicator: str, unit: str | None = None) -> list[SeriesPoint]:
    """All facts of one indicator, year by year (``unit`` filters on the reporting unit)."""
    chosen = [
        f
        for f in facts
        if f.indicator == indicator
        and (unit is None or (f.org_unit or "").lower() == unit.lower() or unit.lower() in (f.org_unit or "").lower())
    ]
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
        points.append(SeriesPoint(f.period_year, f.value, f.kind, f))
    return points

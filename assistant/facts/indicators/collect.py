"""Where a figure stands: the heading path of an offset, and the collector that turns a found figure into a Fact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...documents import Document
from ...resources import data_toml
from ..figures import Quantity
from .definitions import IndicatorDef
from .model import Fact

__all__ = ["FactCollector", "Period", "heading_path", "year_period"]

#: (label, year, type, month): ("2018", 2018, "år", None), ("november 2012", 2012, "månad", 11), …
Period = tuple[str, int | None, str, int | None]


def heading_path(doc: Document, offset: int) -> tuple[str, ...]:
    """Titles of the headings that enclose ``offset`` (outermost first)."""
    stack: list[tuple[int, str]] = []
    for b in doc.blocks:
        if b.start > offset:
            break
        if b.kind != "heading":
            continue
        level = b.level if b.level >= 0 else 6
        title = b.title or doc.text[b.start : b.end]
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, " ".join(title.split())[:140]))
    return tuple(t for _, t in stack)


def year_period(year: int | None) -> Period:
    return (str(year) if year else "okänt år", year, "år", None)


@dataclass
class FactCollector:
    """The facts found in one document so far, with the definitions they are named by."""

    doc: Document
    defs: Sequence[IndicatorDef]
    facts: list[Fact] = field(default_factory=list)

    def add(
        self,
        d: IndicatorDef,
        label: str,
        kind: str,
        q: Quantity | None,
        written: str,
        start: int,
        end: int,
        *,
        period: Period,
        quoted: bool,
        source: str,
        context: tuple[int, int],
        scope: str | None = None,
        note: str = "",
        unit: str | None = None,
    ) -> None:
        meta = self.doc.meta
        ctx_start, ctx_end = context
        bound = _bound(q, self.doc.text[max(ctx_start, start - 12) : start])
        self.facts.append(
            Fact(
                report_id=meta.report_id,
                report_year=meta.year,
                report_type=meta.type,
                org_unit=meta.unit,
                indicator=d.key,
                indicator_name=d.name,
                label=" ".join(label.split()),
                kind=kind,
                value=q.value if q else None,
                written=written,
                unit=(q.unit if q and q.unit else unit),
                period=period[0],
                period_year=period[1],
                period_type=period[2],
                period_month=period[3],
                quoted=quoted,
                source=source,
                start=start,
                end=end,
                page=self.doc.page_at(start),
                heading_path=heading_path(self.doc, start),
                context=" ".join(self.doc.text[ctx_start:ctx_end].split()),
                context_start=ctx_start,
                context_end=ctx_end,
                low=q.low if q else None,
                high=q.high if q else None,
                approximate=bool(q and q.approximate) and bound is None,
                bound=bound,
                scope=scope,
                note=note,
            )
        )


_BOUNDS = data_toml("sv/quantity_bounds.toml")
_BOUND_OF = {w: side for side in ("upper", "lower") for w in _BOUNDS[side]}
_COMPARISON = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _BOUNDS["comparison"]) + r")\s*$", re.I)


def _bound(q: Quantity | None, before: str) -> str | None:
    """Is the figure a bound ("under 2 %", "minst 80") or the far side of a comparison ("lägre än
    10 %") rather than a stated value? ``before``: the text just before it."""
    if q is None:
        return None
    if q.qualifier and q.qualifier.lower() in _BOUND_OF:
        return _BOUND_OF[q.qualifier.lower()]
    return "comparison" if _COMPARISON.search(before) else None

"""``hopp``: a large year-to-year change in a unit's series with no explanation in the text around it."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ...documents import Document
from ..indicators import Fact
from .agreement import in_unit
from .flags import Flag, passage_for_fact
from .wording import EXPLAINED

__all__ = ["jumps"]


def jumps(docs: dict[str, Document], facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    """Informational flags for big changes between consecutive years that the text does not explain."""
    series: dict[tuple[str, str], dict[int, Fact]] = defaultdict(dict)
    ranked = sorted(facts, key=lambda f: (f.quoted, f.source != "tabell", f.start))
    for f in ranked:
        if f.kind != "utfall" or f.scope is not None or f.value is None or f.period_type != "år" or not f.period_year:
            continue
        series[((f.org_unit or "").lower(), f.indicator)].setdefault(f.period_year, f)
    flags = []
    for (_unit, indicator), points in series.items():
        years = sorted(points)
        for y0, y1 in itertools.pairwise(years):
            a, b = points[y0], points[y1]
            va, vb = a.value, in_unit(b, a.unit)
            if va is None or vb is None:
                continue
            change = vb - va
            if not _big(change, va, a.unit) or _explained(docs.get(b.report_id), b):
                continue
            word = "ökade" if change > 0 else "minskade"
            first, second = passage_for_fact(labels, a), passage_for_fact(labels, b)
            if (a.report_id, a.context_start, a.context_end) == (b.report_id, b.context_start, b.context_end):
                # Both values stand in one table row ("42,5 % 22,92 %"): one passage, both highlighted.
                first = second = replace(first, also=(b.written,))
            flags.append(
                Flag(
                    "hopp",
                    indicator,
                    a.indicator_name,
                    f"{a.indicator_name} {word} från {a.written} ({y0}) till {b.written} ({y1}) "
                    f"utan att texten intill förklarar förändringen.",
                    first,
                    second,
                    f"hopp|{a.report_id}|{b.report_id}|{indicator}|{a.written}|{b.written}",
                )
            )
    return flags


def _big(change: float, before: float, unit: str | None) -> bool:
    """At least 10 points and a quarter for a share; at least half (and 5) for anything else."""
    rel = abs(change) / max(abs(before), 1e-9)
    return (abs(change) >= 10 and rel >= 0.25) if unit == "%" else (rel >= 0.5 and abs(change) >= 5)


def _explained(doc: Document | None, b: Fact) -> bool:
    """Does the text around the later figure (after it, for a table row) explain a change?"""
    near = ""
    if doc is not None:
        near = doc.text[max(b.context_start - 200, 0) : b.context_end + 600]
        near = doc.text[b.context_start : b.context_end + 600] if b.source == "tabell" else near
    return bool(EXPLAINED.search(near.replace(b.label, "")))

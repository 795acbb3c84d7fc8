"""The unit a draft is for: its name as the corpus writes it, its district, and another unit's name replaced."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .precedents import Precedent

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["district_of", "resolve_unit", "retarget_unit"]


def resolve_unit(assistant: Assistant, unit: str) -> str:
    """The unit's name as the corpus writes it (the one unit lookup: ``ReportCatalog.resolve_unit``)."""
    return assistant.catalog.resolve_unit(unit)


def district_of(assistant: Assistant, unit: str | None) -> str | None:
    """The district of the unit's latest report that names one."""
    if not unit:
        return None
    metas = [m for m in assistant.reports() if (m.unit or "").lower() == unit.lower() and m.district]
    return metas[-1].district if metas else None


def retarget_unit(sentence: str, precedent: Precedent, unit: str | None, district: str | None) -> str:
    """Another unit's (and district's) name → the target ``unit``'s (and ``district``'s)."""
    out = sentence
    if precedent.unit and unit and precedent.unit.lower() != unit.lower():
        out = re.sub(re.escape(precedent.unit), unit, out, flags=re.I)
    src, dst = precedent.district, district
    if src and dst and src.lower() != dst.lower() and src.lower() not in dst.lower():
        out = re.sub(rf"(?<![\wåäöÅÄÖ-]){re.escape(src)}(?![\wåäöÅÄÖ-])", dst, out)
    return out

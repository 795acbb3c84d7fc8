"""The unit a draft is for: its name, district and next year, and what of another unit's text is that unit's own.

A sentence from another unit's report is marked in the draft ("från
Beställarenheten funktionsnedsättning 2014"). It *carries that unit's
specifics* when it has a figure (the other unit's count or share), or a name or
place that only that unit's reports use: a capitalised word, not the first of
its sentence, that neither the target unit's reports nor those of any third
unit contain (:class:`UnitVocabulary`, read from the corpus itself).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..documents import Document
from ..facts.figures import find_quantities
from .placeholders import COUNT_WORD
from .precedents import Precedent

if TYPE_CHECKING:
    from ..api import Assistant

__all__ = ["UnitVocabulary", "default_year", "district_of", "other_unit_specifics", "resolve_unit", "retarget_unit"]

_NAME = re.compile(r"(?<![\wåäöÅÄÖ-])[A-ZÅÄÖ][\wåäöÅÄÖ-]+")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
# Where a new clause or item starts, a capital letter says nothing about a name.
_CLAUSE_START = re.compile(r"(?:^|[.:;!?–•\-(]\s*|\n)$")


def resolve_unit(assistant: Assistant, unit: str) -> str:
    """The unit's name as the corpus writes it (the one unit lookup: ``ReportCatalog.resolve_unit``)."""
    return assistant.catalog.resolve_unit(unit)


def default_year(assistant: Assistant, unit: str | None, type: str | None) -> int | None:
    """The year after the unit's latest report of the type (else of any type); None for an unknown unit."""
    metas = [m for m in assistant.reports() if unit and (m.unit or "").lower() == unit.lower() and m.year]
    of_type = [m for m in metas if type and m.type == type]
    chosen = of_type or metas
    return max(m.year or 0 for m in chosen) + 1 if chosen else None


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


@dataclass(frozen=True)
class UnitVocabulary:
    """The capitalised words (names, places) each unit's reports use, to tell one unit's own from the shared."""

    by_unit: dict[str, frozenset[str]]

    @classmethod
    def of(cls, documents: Sequence[Document]) -> UnitVocabulary:
        words: dict[str, set[str]] = {}
        for doc in documents:
            words.setdefault((doc.meta.unit or "").lower(), set()).update(_NAME.findall(doc.text))
        return cls({u: frozenset(w) for u, w in words.items()})

    def own_names(self, unit: str) -> frozenset[str]:
        """Words of ``unit``'s reports that the reports of no other unit (the target unit's included) use."""
        mine = self.by_unit.get(unit.lower(), frozenset())
        others = set().union(*(w for u, w in self.by_unit.items() if u != unit.lower()))
        # A compound shares its name with the other units' ("Sara-anmälningar", "Sara-anmälan": Lex Sara).
        heads = {w.split("-")[0] for w in others}
        return frozenset(w for w in mine if w not in others and w.split("-")[0] not in heads)


def other_unit_specifics(sentence: str, precedent: Precedent, own_names: frozenset[str]) -> list[str]:
    """What in ``sentence`` (from ``precedent``, another unit's) is that unit's own: its figures, names and places."""
    found: list[str] = []
    for q in find_quantities(sentence):
        if not (q.unit is None and _YEARLIKE.fullmatch(q.written)):
            found.append(q.written)
    figures = [(q.start, q.end) for q in find_quantities(sentence)]
    found += [
        m.group(0) for m in COUNT_WORD.finditer(sentence) if not any(a < m.end() and m.start() < b for a, b in figures)
    ]
    unit_words = set(_NAME.findall(f"{precedent.unit or ''} {precedent.district or ''}"))
    for m in _NAME.finditer(sentence):
        word = m.group(0)
        if word in own_names and word not in unit_words and not _CLAUSE_START.search(sentence[: m.start()]):
            found.append(word)
    return list(dict.fromkeys(found))

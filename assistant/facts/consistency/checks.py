"""Every check over a corpus, in one order; ``check`` keeps the flags that touch a unit or year."""

from __future__ import annotations

from collections.abc import Sequence

from ...documents import Document
from ..indicators import INDICATORS, Fact, IndicatorDef, extract_facts
from .contradictions import across_reports, within_report
from .flags import FLAG_KINDS, Flag
from .fulfilment import fulfilment
from .jumps import jumps

__all__ = ["check", "check_facts"]


def check_facts(
    docs: Sequence[Document], facts: Sequence[Fact], defs: Sequence[IndicatorDef] = INDICATORS
) -> list[Flag]:
    labels = {d.meta.report_id: d.meta.label() for d in docs}
    flags = within_report(facts, labels) + across_reports(facts, labels)
    for doc in docs:
        flags += fulfilment(doc, facts, labels, defs)
    flags += jumps({d.meta.report_id: d for d in docs}, facts, labels)
    order = list(FLAG_KINDS)
    return sorted(flags, key=lambda f: (order.index(f.kind), f.first.report_id, f.first.start, f.key))


def check(
    docs: Sequence[Document],
    unit: str | None = None,
    year: int | None = None,
    facts: Sequence[Fact] | None = None,
) -> list[Flag]:
    """Every flag in ``docs``; ``unit`` and ``year`` keep flags that touch that unit or report year."""
    all_facts = list(facts) if facts is not None else extract_facts(docs)
    flags = check_facts(docs, all_facts)
    by_id = {d.meta.report_id: d for d in docs}

    def keep(flag: Flag) -> bool:
        metas = [by_id[r].meta for r in flag.report_ids if r in by_id]
        if unit and not any(unit.lower() in (m.unit or "").lower() for m in metas):
            return False
        return not (year and not any(m.year == year for m in metas))

    return [f for f in flags if keep(f)]

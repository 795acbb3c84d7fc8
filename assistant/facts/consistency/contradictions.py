"""Figures that disagree: within one report, and a quoted earlier value against that year's own report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..indicators import Fact
from .agreement import consistent, period_class
from .flags import Flag, describe, passage_for_fact

__all__ = ["across_reports", "series_facts", "within_report"]


def within_report(facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    """``inom_rapport``: the same indicator, scope and period stated with values that do not agree.

    A sentence that states several different values of one indicator is a series ("9,4 % under
    2021, jämfört med 11,2 % år 2020", "13,4 % första kvartalet och 10,8 % för helåret"): where
    its values were all placed in the same period, the sentence's own words tell them apart,
    not a contradiction, so none of them is compared.
    """
    groups: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    series = series_facts(facts)
    for f in facts:
        if f.value is None or id(f) in series:
            continue
        groups[(f.report_id, f.indicator, f.scope, f.kind, period_class(f))].append(f)
    flags = []
    for (report_id, indicator, _scope, kind, _pc), group in groups.items():
        if len(group) < 2:
            continue
        ref = sorted(group, key=lambda f: (f.source != "tabell", f.period_type != "år", f.start))[0]
        seen: set[str] = set()
        for other in group:
            if other is ref or other.written in seen:
                continue
            ok = consistent(ref, other)
            if ok is None or ok:
                continue
            seen.add(other.written)
            what = "målet" if kind != "utfall" else "utfallet"
            explanation = (
                f"{ref.indicator_name}: {what} anges som {describe(ref)} men som {describe(other)} i samma rapport."
            )
            flags.append(
                Flag(
                    "inom_rapport",
                    indicator,
                    ref.indicator_name,
                    explanation,
                    passage_for_fact(labels, ref),
                    passage_for_fact(labels, other),
                    f"inom_rapport|{report_id}|{indicator}|{ref.period}|{ref.written}|{other.written}",
                )
            )
    return flags


def series_facts(facts: Sequence[Fact]) -> set[int]:
    """``id()`` of the facts that stand in one sentence with a different value of the same indicator,
    scope, kind and period: values of a series whose periods the sentence, not the figures, tells."""
    sentences: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.source == "text" and f.value is not None:
            key = (f.report_id, f.context_start, f.context_end, f.indicator, f.scope, f.kind, period_class(f))
            sentences[key].append(f)
    out: set[int] = set()
    for group in sentences.values():
        if len(group) > 1 and any(consistent(group[0], other) is False for other in group[1:]):
            out.update(id(f) for f in group)
    return out


def across_reports(facts: Sequence[Fact], labels: dict[str, str]) -> list[Flag]:
    """``mellan_rapporter``: a quoted earlier value that differs from what that year's report stated."""
    own: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        if not f.quoted and f.value is not None and f.report_year == f.period_year:
            own[((f.org_unit or "").lower(), f.indicator, f.scope, f.kind, period_class(f))].append(f)
    flags = []
    for q in facts:
        if not q.quoted or q.value is None:
            continue
        key = ((q.org_unit or "").lower(), q.indicator, q.scope, q.kind, period_class(q))
        for f in own.get(key, []):
            if f.report_id == q.report_id:
                continue
            ok = consistent(f, q)
            if ok is None or ok:
                continue
            explanation = (
                f"{q.indicator_name} {q.period}: rapporten för {q.report_year} anger {q.written}, "
                f"men rapporten för {f.report_year} angav själv {f.written}."
            )
            flags.append(
                Flag(
                    "mellan_rapporter",
                    q.indicator,
                    q.indicator_name,
                    explanation,
                    passage_for_fact(labels, q),
                    passage_for_fact(labels, f),
                    f"mellan_rapporter|{q.report_id}|{f.report_id}|{q.indicator}|{q.period}|{q.written}|{f.written}",
                )
            )
            break
    return flags

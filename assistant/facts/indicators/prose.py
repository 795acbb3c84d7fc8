"""Facts stated in sentences: the analysis under a table row, and the prose rules.

* **the analysis under a table row** ("Analys …", "Kommentar: …"): the first
  figure that restates the row's outcome, figures for another period (a month,
  "rullande 12 månader", last year), never comparisons ("i staden som helhet").
* **prose** rules for the quantities the reports state in sentences
  (sjukfrånvaro, AMI, underskott/överskott), and the counts and costs listed in
  ``assistant/data/sv/prose_counts.toml`` (antal brukare/medarbetare/klagomål,
  kostnader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ...resources import data_toml
from ..figures import Quantity, find_quantities, parse_number, parse_quantity
from .collect import FactCollector, year_period
from .definitions import IndicatorDef, definition
from .periods import period_for, sentences
from .tables import TableRow

__all__ = ["analysis_facts", "prose_facts"]

# A figure in a sentence like these is about something else than the row's indicator.
_COMPARATOR = re.compile(
    r"staden\s+som\s+helhet|i\s+staden\b|genomsnitt|snitt\s+är|förvaltningens\s+snitt|stadsdelsförvaltningen\s+i\s+stort"
    r"|hela\s+staden|motsvarande\s+siffra\s+för\s+staden",
    re.I,
)
_SUBGROUP = re.compile(r"^\s*(?:inom|där\s+har|varav|av\s+dessa)\b|\binom\s+[a-zåäö/]+\s+har\b", re.I)
_SUBGROUP_CASED = re.compile(r"\bdär\s+har\b|\binom\s+\w+(?:\s+\w+)?\s+har\b")
_SUB_UNIT = re.compile(r"(?:Enhet\s+)?(\d{4})\s*=\s*(\d+(?:,\d+)?)")
_INDEX_WORD = re.compile(r"\b(?:AMI|index)\b", re.I)
_TARGET_CUE = re.compile(
    r"\b(?:ska|skall)\s+(?:\w+\s+)?(?:minska|öka|uppgå|sjunka)\s+till|\b(?:minskar|ökar|sjunker)\s+till|\bmålet\s+är",
    re.I,
)
_SICK_LEAVE = re.compile(r"sjukfrånvaro(?!\w*\s+dag\s*1)", re.I)
_AMI = re.compile(r"(?:\bAMI|medskapandeindex)(?:\s+AMI)?\s+(?:på\s+|var\s+|blev\s+)?(\d{2,3})\b", re.I)
_RESULT = re.compile(r"(underskott|överskott)\s+(?:\w+\s+){0,3}?(?:med|om|på)\s+", re.I)
_SCOPE_IN = re.compile(r"\binom\s+(socialpsykiatri\w*|funktionsnedsättning\w*)", re.I)
_SCOPE_FIRST = re.compile(r"^(Funktionsnedsättning|Socialpsykiatri)\s+[A-ZÅÄÖ]")
_FORECAST_WORDS = tuple(w.lower() for w in data_toml("sv/figure_roles.toml")["forecast"])
_WORD = re.compile(r"[^\W\d_]+")
_COUNT_RULES: list[tuple[str, re.Pattern[str]]] = [
    (rule["indicator"], re.compile(rule["pattern"], re.I)) for rule in data_toml("sv/prose_counts.toml")["rule"]
]


# --------------------------------------------------------------------------- analysis under a row


def analysis_facts(ctx: FactCollector, d: IndicatorDef, row: TableRow, year: int | None) -> None:
    """Figures in the analysis text under ``row`` (which must have one)."""
    assert row.analysis
    row_unit = None
    for written, _, _ in row.cells.values():
        q = parse_quantity(written)
        if q:
            row_unit = q.unit
            break
    if row_unit is None and d.unit == "%":
        row_unit = "%"
    _sub_unit_facts(ctx, d, row, year, row_unit)
    _analysis_sentence_facts(ctx, d, row, row_unit)


def _sub_unit_facts(ctx: FactCollector, d: IndicatorDef, row: TableRow, year: int | None, unit: str | None) -> None:
    """ "6228=2,39": figures per sub-unit (cost centre)."""
    assert row.analysis
    a0, a1 = row.analysis
    for m in _SUB_UNIT.finditer(ctx.doc.text[a0:a1]):
        q = parse_quantity(m.group(2))
        if q is None:
            continue
        s = a0 + m.start(2)
        ctx.add(
            d,
            row.label,
            "utfall",
            replace(q, unit=unit),
            m.group(2),
            s,
            s + len(m.group(2)),
            period=year_period(year),
            quoted=False,
            source="text",
            context=(a0 + m.start(), a0 + m.end()),
            scope=f"enhet {m.group(1)}",
            unit=unit,
        )


def _analysis_sentence_facts(ctx: FactCollector, d: IndicatorDef, row: TableRow, row_unit: str | None) -> None:
    """The figures in the analysis that are about the row: the first restating its outcome, other periods."""
    assert row.analysis
    doc = ctx.doc
    a0, a1 = row.analysis
    restated = False
    for s0, s1 in sentences(doc.text[a0:a1], a0):
        sentence = doc.text[s0:s1]
        prev_end = 0
        for q in find_quantities(sentence):
            rel_s, rel_e = q.start, q.end
            if _other_unit(q, sentence, row_unit):
                continue
            period, quoted, _explicit = period_for(sentence, rel_s, rel_e, prev_end, doc.meta.year)
            if _about_something_else(sentence, sentence[prev_end:rel_e], rel_e):
                prev_end = rel_e
                continue
            if period[2] == "år" and not quoted:
                if restated:
                    prev_end = rel_e
                    continue
                restated = True
            ctx.add(
                d,
                row.label,
                "utfall",
                q,
                q.written,
                s0 + rel_s,
                s0 + rel_e,
                period=period,
                quoted=quoted,
                source="text",
                context=(s0, s1),
            )
            prev_end = rel_e


def _other_unit(q: Quantity, sentence: str, row_unit: str | None) -> bool:
    """A figure in another unit than the row's, a "6228=…" figure, or a bare number that is not an index."""
    if q.unit != row_unit or (q.unit is None and "=" in sentence[max(0, q.start - 1) : q.start]):
        return True
    return q.unit is None and (q.low is not None or not _INDEX_WORD.search(sentence))


def _about_something_else(sentence: str, clause: str, rel_e: int) -> bool:
    """A comparison ("i staden som helhet") or a subgroup ("inom socialpsykiatrin har …")."""
    if _COMPARATOR.search(clause) or _COMPARATOR.search(sentence[rel_e : rel_e + 40].split(".")[0]):
        return True
    return bool(_SUBGROUP.search(clause) or _SUBGROUP_CASED.search(clause))


# --------------------------------------------------------------------------- prose


def prose_facts(ctx: FactCollector) -> None:
    """Facts from every sentence of the document's paragraphs."""
    doc = ctx.doc
    defs = ctx.defs
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        for s0, s1 in sentences(doc.text[block.start : block.end], block.start):
            sentence = doc.text[s0:s1]
            _sick_leave_sentence(ctx, definition("sjukfranvaro", defs), sentence, s0, s1)
            _ami_sentence(ctx, definition("ami", defs), sentence, s0, s1)
            _result_sentence(ctx, definition("resultat", defs), sentence, s0, s1, block.start)
            _count_sentence(ctx, defs, sentence, s0, s1)


def _is_forecast(sentence: str) -> bool:
    """Does the sentence call its figures a forecast (a word of ``figure_roles.toml``, inflected or
    as the last part of a compound)?"""
    for w in _WORD.findall(sentence.lower()):
        if any(f in w for f in _FORECAST_WORDS):
            return True
    return False


def _whole_word(matches: Iterable[re.Match[str]], sentence: str) -> re.Match[str] | None:
    """The first match that is not the last part of a longer compound: "korttidssjukfrånvaron" is a
    measure of its own, not the sick leave."""
    for m in matches:
        if m.start() == 0 or not sentence[m.start() - 1].isalpha():
            return m
    return None


def _sick_leave_sentence(ctx: FactCollector, d: IndicatorDef, sentence: str, s0: int, s1: int) -> None:
    m = _whole_word(_SICK_LEAVE.finditer(sentence), sentence)
    if not m:
        return
    prev_end = 0
    report_year = ctx.doc.meta.year
    target = ctx.doc.meta.type == "verksamhetsplan" or bool(_TARGET_CUE.search(sentence))
    forecast = _is_forecast(sentence)
    for q in find_quantities(sentence):
        if q.unit != "%":
            continue
        if q.start < m.start():
            prev_end = q.end
            continue
        period, quoted, _ = period_for(sentence, q.start, q.end, prev_end, report_year)
        # A plan's figures are targets for its own year; one it gives for an earlier year is what was.
        past = period[1] is not None and report_year is not None and period[1] < report_year
        kind = "prognos" if forecast else "årsmål" if target and not past else "utfall"
        ctx.add(
            d,
            sentence[m.start() : m.end()],
            kind,
            q,
            q.written,
            s0 + q.start,
            s0 + q.end,
            period=period,
            quoted=quoted,
            source="text",
            context=(s0, s1),
        )
        prev_end = q.end


def _ami_sentence(ctx: FactCollector, d: IndicatorDef, sentence: str, s0: int, s1: int) -> None:
    for m in _AMI.finditer(sentence):
        q = parse_quantity(m.group(1))
        if q is None:
            continue
        period, quoted, _ = period_for(sentence, m.start(1), m.end(1), 0, ctx.doc.meta.year)
        ctx.add(
            d,
            "AMI",
            "prognos" if _is_forecast(sentence) else "utfall",
            q,
            m.group(1),
            s0 + m.start(1),
            s0 + m.end(1),
            period=period,
            quoted=quoted,
            source="text",
            context=(s0, s1),
        )


def _scope_of(ctx: FactCollector, sentence: str, block_start: int) -> str | None:
    m = _SCOPE_IN.search(sentence)
    if m:
        return _scope_key(m.group(1))
    prev = None
    for b in ctx.doc.blocks:
        if b.start >= block_start:
            break
        prev = b
    if prev is not None and prev.kind == "heading" and prev.level < 0:
        return _scope_key(ctx.doc.text[prev.start : prev.end])
    first = _SCOPE_FIRST.match(ctx.doc.text[block_start : block_start + 40])
    return _scope_key(first.group(1)) if first else None


def _scope_key(text: str) -> str:
    t = text.strip().lower()
    return (
        "socialpsykiatri" if t.startswith("socialpsyk") else "funktionsnedsättning" if t.startswith("funktionsn") else t
    )


def _result_sentence(ctx: FactCollector, d: IndicatorDef, sentence: str, s0: int, s1: int, block_start: int) -> None:
    for m in _RESULT.finditer(sentence):
        qs = [q for q in find_quantities(sentence[m.end() :]) if q.unit in ("mnkr", "tkr")]
        if not qs or qs[0].start > 2:
            continue
        q = qs[0]
        sign = -1 if m.group(1).lower() == "underskott" else 1
        q = replace(q, value=sign * q.value)
        a = s0 + m.end() + q.start
        rel = m.end() + q.start
        period, quoted, _ = period_for(sentence, rel, rel + len(q.written), 0, ctx.doc.meta.year)
        ctx.add(
            d,
            m.group(1).lower(),
            "prognos" if _is_forecast(sentence) else "utfall",
            q,
            q.written,
            a,
            a + len(q.written),
            period=period,
            quoted=quoted,
            source="text",
            context=(s0, s1),
            scope=_scope_of(ctx, sentence, block_start),
        )


def _count_sentence(ctx: FactCollector, defs: Sequence[IndicatorDef], sentence: str, s0: int, s1: int) -> None:
    for key, pattern in _COUNT_RULES:
        d = definition(key, defs)
        for m in pattern.finditer(sentence):
            q, raw = _count_quantity(m.group("q"), d)
            if q is None:
                continue
            rel = m.start("q") + (m.group("q").find(raw) if raw in m.group("q") else 0)
            year = int(m.group("y")) if "y" in pattern.groupindex and m.group("y") else ctx.doc.meta.year
            quoted = bool(year and ctx.doc.meta.year and year < ctx.doc.meta.year)
            ctx.add(
                d,
                d.name.lower(),
                "utfall",
                replace(q, unit=d.unit),
                raw,
                s0 + rel,
                s0 + rel + len(raw),
                period=year_period(year),
                quoted=quoted,
                source="text",
                context=(s0, s1),
                unit=d.unit,
            )


def _count_quantity(raw: str, d: IndicatorDef) -> tuple[Quantity | None, str]:
    """The figure a count rule found, and its written form ("några" in "inte … några klagomål" is zero)."""
    if raw.lower() == "några":
        return Quantity("inga", 0.0, d.unit), raw
    found = find_quantities(raw)
    if found:
        return found[0], found[0].written
    value = parse_number(raw)
    return (Quantity(raw, value, d.unit) if value is not None else None), raw

"""Every figure the reports state → :class:`Fact`: indicator and economy tables, their analyses, prose."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...documents import Document
from ..figures import parse_quantity
from .collect import FactCollector, year_period
from .definitions import INDICATORS, IndicatorDef, match_indicator
from .model import Fact
from .prose import analysis_facts, prose_facts
from .tables import PLAN_PERIODS, TableRow, is_text_target, parse_indicator_table

__all__ = ["extract_facts"]

_ECONOMY_TABLE = re.compile(r"Beloppen anges i\s*TKr", re.I)
_ECONOMY_YEAR = re.compile(r"Utfall i bokslut\s*((?:19|20)\d\d)")
_PREV_YEAR_HEADER = re.compile(r"utfall\s+VB\s*(\d{4})")
# Columns that hold an outcome, and the scope of those that split it.
_OUTCOME_COLUMNS = {"utfall_prev": "utfall", "män": "utfall", "kvinnor": "utfall"}
_SCOPE_COLUMNS = {"män": "män/pojkar", "kvinnor": "kvinnor/flickor"}


def extract_facts(docs: Iterable[Document], extra: Sequence[IndicatorDef] = ()) -> list[Fact]:
    """Every figure the reports state, from indicator tables, their analyses and prose."""
    defs = [*extra, *INDICATORS]
    facts: list[Fact] = []
    for doc in docs:
        ctx = FactCollector(doc, defs)
        _table_facts(ctx)
        prose_facts(ctx)
        facts.extend(sorted(ctx.facts, key=lambda f: f.start))
    return facts


def _table_facts(ctx: FactCollector) -> None:
    doc = ctx.doc
    for block in doc.blocks:
        if block.kind != "table":
            continue
        if _ECONOMY_TABLE.search(doc.text[block.start : block.end]):
            _economy_table(ctx, block.start, block.end)
            continue
        for row in parse_indicator_table(doc, block.start, block.end):
            _row_facts(ctx, row)


def _row_facts(ctx: FactCollector, row: TableRow) -> None:
    doc = ctx.doc
    d = match_indicator(row.label, ctx.defs)
    year = _period_of_row(row.period, doc.meta.year)
    if row.period.strip().lower() in PLAN_PERIODS:
        year = doc.meta.year
    for col, (written, s, e) in row.cells.items():
        q = parse_quantity(written)
        if q is None and not is_text_target(written):
            continue
        quoted = col == "utfall_prev"
        unit = q.unit if q else d.unit
        if q is not None and q.unit is None and d.unit and d.unit != "%":
            unit = d.unit
        ctx.add(
            d,
            row.label,
            _OUTCOME_COLUMNS.get(col, col),
            q,
            written,
            s,
            e,
            period=year_period(_prev_year_of(doc, row, year) if quoted else year),
            quoted=quoted,
            source="tabell",
            context=(row.row_start, row.row_end),
            scope=_SCOPE_COLUMNS.get(col),
            note=row.note,
            unit=unit,
        )
    if row.analysis:
        analysis_facts(ctx, d, row, year)


def _period_of_row(period: str, report_year: int | None) -> int | None:
    m = re.search(r"(19|20)\d\d", period)
    return int(m.group(0)) if m else report_year


def _prev_year_of(doc: Document, row: TableRow, year: int | None) -> int | None:
    header = doc.text[max(0, row.row_start - 3000) : row.row_start]
    years = _PREV_YEAR_HEADER.findall(header)
    if years:
        return int(years[-1])
    return year - 1 if year else None


def _economy_table(ctx: FactCollector, start: int, end: int) -> None:
    doc = ctx.doc
    head = doc.text[start:end]
    ym = _ECONOMY_YEAR.search(head)
    year = int(ym.group(1)) if ym else doc.meta.year
    pos = start
    for line in head.split("\n"):
        ls = pos
        pos += len(line) + 1
        if "\t" not in line:
            continue
        label, _, cell = line.partition("\t")
        d = match_indicator(label, ctx.defs)
        if not d.patterns:
            d = IndicatorDef(d.key, label.strip(), (), "tkr")
        q = parse_quantity(cell)
        if q is None:
            continue
        s = ls + len(label) + 1 + (len(cell) - len(cell.lstrip()))
        ctx.add(
            d,
            label,
            "utfall",
            q,
            cell.strip(),
            s,
            s + len(cell.strip()),
            period=year_period(year),
            quoted=False,
            source="tabell",
            context=(ls, ls + len(line)),
            unit="tkr",
        )

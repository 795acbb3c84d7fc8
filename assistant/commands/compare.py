"""``compare``: one indicator year by year, targets beside outcomes, optionally a chart."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import AssistantError
from ..facts.indicators import (
    SeriesPoint,
    chart_plan,
    chart_title,
    extract_facts,
    find_indicator,
    load_indicator_file,
    plot_series,
    series,
    series_notes,
    values_phrase,
)
from . import load_corpus_reporting, print_json, table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("indikator", help='indikatorn, t.ex. "sjukfrånvaro", "AMI" eller "budgetföljsamhet"')
    parser.add_argument("--unit", help="bara rapporter från denna enhet (del av namnet räcker)")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")
    parser.add_argument("--plot", metavar="FIL.png", help="rita ett diagram till denna PNG-fil")


def run(args: argparse.Namespace, config: Config) -> int:
    corpus = load_corpus_reporting(config)
    extra_file = config.corpus / "indicators.toml"
    extra = load_indicator_file(extra_file) if extra_file.exists() else []
    facts = extract_facts(corpus.documents, extra)
    key = find_indicator(facts, args.indikator)
    points = series(facts, key, unit=args.unit)
    notes = series_notes(facts, key, unit=args.unit)
    if not points:
        units = sorted({p.fact.org_unit or "?" for p in series(facts, key)})
        where = f" för enheten '{args.unit}'" if args.unit else ""
        raise AssistantError(
            f"Indikatorn '{args.indikator}' har inga värden{where}. "
            + (f"Enheter med värden: {', '.join(units)}." if units else "Den anges bara i ord i rapporterna.")
        )
    if args.plot and not args.plot.lower().endswith(".png"):
        raise AssistantError(f"Diagrammet sparas som PNG; ge ett filnamn som slutar på .png (fick {args.plot}).")
    if args.plot:
        plot_series(points, Path(args.plot))
    if args.json:
        print_json(
            {
                "indicator": key,
                "name": points[0].fact.indicator_name,
                "points": [p.to_json() for p in points],
                "notes": [n.to_json() for n in notes],
                "chart": _chart_json(points),
            }
        )
        return 0
    name = points[0].fact.indicator_name
    print(f"{name} ({key}) – {values_phrase(len(points))}\n")
    rows = []
    for p in points:
        f = p.fact
        kind = f.kind_label + (" (fjolår, citerat)" if f.quoted else "")
        scope = f" [{f.scope}]" if f.scope else ""
        rows.append(
            [
                str(p.year or "?"),
                f.period,
                kind + scope,
                f.shown,
                f.org_unit or "?",
                f"{f.report_id} s. {f.page or '–'} ({f.source})",
            ]
        )
    print(table(rows, ["År", "Period", "Slag", "Värde", "Enhet", "Källa"]))
    placed = {f.note for f in (p.fact for p in points) if f.note}
    for note in sorted(placed):
        print(f"\nObs: {note} för vissa värden.")
    if notes:
        print("\nAngivet i ord, inget värde (inte med i tabellen):")
        for n in notes:
            print(f"  {n.text}")
    if args.plot:
        _print_chart(points)
        print(f"\nDiagrammet sparades i {args.plot}.", file=sys.stderr)
    return 0


def _chart_json(points: list[SeriesPoint]) -> dict[str, Any]:
    plan = chart_plan(points)
    return {
        "title": chart_title(points),
        "lines": [{"unit": ln.unit, "kind": ln.kind, "values": ln.values} for ln in plan.lines],
        "left_out": [{"year": p.year, "written": p.fact.written, "reason": r} for p, r in plan.left_out],
    }


def _print_chart(points: list[SeriesPoint]) -> None:
    """What the chart shows, and every value of the table it does not show, with the reason."""
    plan = chart_plan(points)
    print(
        f"\nDiagrammet: {chart_title(points)}, {len(plan.lines)} linjer ({', '.join(ln.label for ln in plan.lines)})."
    )
    if plan.left_out:
        print("Inte i diagrammet:")
        for p, reason in plan.left_out:
            print(f"  {p.year or '?'} {p.fact.written} ({p.fact.org_unit or 'enhet okänd'}): {reason}")

"""``compare``: one indicator year by year, targets beside outcomes, optionally a chart."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Config
from ..errors import AssistantError
from ..facts.indicators import extract_facts, find_indicator, load_indicator_file, plot_series, series
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
    if not points:
        units = sorted({f.org_unit or "?" for f in facts if f.indicator == key})
        raise AssistantError(
            f"Indikatorn '{args.indikator}' har inga värden för enheten '{args.unit}'. "
            f"Enheter med värden: {', '.join(units)}."
        )
    if args.plot:
        if not args.plot.lower().endswith(".png"):
            raise AssistantError(f"Diagrammet sparas som PNG; ge ett filnamn som slutar på .png (fick {args.plot}).")
        plot_series(points, Path(args.plot))
    if args.json:
        print_json({"indicator": key, "name": points[0].fact.indicator_name, "points": [p.to_json() for p in points]})
        return 0
    name = points[0].fact.indicator_name
    print(f"{name} ({key}) – {len(points)} värden\n")
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
                f.written,
                f.org_unit or "?",
                f"{f.report_id} s. {f.page or '–'} ({f.source})",
            ]
        )
    print(table(rows, ["År", "Period", "Slag", "Värde", "Enhet", "Källa"]))
    notes = {f.note for f in (p.fact for p in points) if f.note}
    for note in sorted(notes):
        print(f"\nObs: {note} för vissa värden.")
    if args.plot:
        print(f"\nDiagrammet sparades i {args.plot}.", file=sys.stderr)
    return 0

"""``check``: contradictions within and across the reports, with both passages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import Config
from ..errors import AssistantError
from ..facts.consistency import FLAG_KINDS, check, flags_to_html, flags_to_markdown
from ..facts.indicators import extract_facts, load_indicator_file
from . import load_corpus_reporting, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", help="bara flaggor som rör denna enhet (del av namnet räcker)")
    parser.add_argument("--year", type=int, help="bara flaggor som rör rapporten för detta år")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")
    parser.add_argument("--out", metavar="RAPPORT.md|.html", help="skriv flaggorna till en Markdown- eller HTML-fil")


def run(args: argparse.Namespace, config: Config) -> int:
    if args.out and Path(args.out).suffix.lower() not in (".md", ".html", ".htm"):
        raise AssistantError(f"--out ska sluta på .md eller .html (fick {args.out}).")
    corpus = load_corpus_reporting(config)
    extra_file = config.corpus / "indicators.toml"
    extra = load_indicator_file(extra_file) if extra_file.exists() else []
    facts = extract_facts(corpus.documents, extra)
    if args.unit and not any(args.unit.lower() in (d.meta.unit or "").lower() for d in corpus.documents):
        known = ", ".join(sorted({d.meta.unit or "?" for d in corpus.documents}))
        raise AssistantError(f"Ingen rapport har enheten '{args.unit}'. Enheter som finns: {known}.")
    if args.year and not any(d.meta.year == args.year for d in corpus.documents):
        known = ", ".join(sorted({str(d.meta.year) for d in corpus.documents if d.meta.year}))
        raise AssistantError(f"Ingen rapport gäller år {args.year}. År som finns: {known}.")
    flags = check(corpus.documents, unit=args.unit, year=args.year, facts=facts)
    if args.out:
        out = Path(args.out)
        text = flags_to_html(flags) if out.suffix.lower() in (".html", ".htm") else flags_to_markdown(flags)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        print(f"{_flags_phrase(len(flags))} skrevs till {out}.", file=sys.stderr)
    if args.json:
        print_json([f.to_json() for f in flags])
        return 0
    if args.out:
        return 0
    if not flags:
        print("Inga motsägelser hittades.")
        return 0
    for n, f in enumerate(flags, start=1):
        tag = " (information)" if f.severity == "info" else ""
        print(f"{n}. {FLAG_KINDS[f.kind]}{tag}")
        print(f"   {f.explanation}")
        for p in f.passages:
            both = " (båda värdena står på samma rad)" if f.same_passage else ""
            print(f"   ▸ {p.citation()}{both}")
            snippet = p.text if len(p.text) <= 300 else p.text[:297] + "…"
            print(f'     "{snippet}"')
        print()
    counts = {k: sum(1 for f in flags if f.kind == k) for k in FLAG_KINDS}
    summary = ", ".join(f"{n} {FLAG_KINDS[k].lower()}" for k, n in counts.items() if n)
    print(f"{_flags_phrase(len(flags))}: {summary}.")
    return 0


def _flags_phrase(n: int) -> str:
    return f"{n} flagga" if n == 1 else f"{n} flaggor"

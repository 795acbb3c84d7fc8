"""``corpus``: the reports with their metadata and where each field came from."""

from __future__ import annotations

import argparse
import sys

from ..config import Config
from ..ingest.corpus import MANIFEST_FIELDS
from ..ingest.metadata import sure_confidence
from . import load_corpus_reporting, print_json, table

ORIGIN_SV = {"detected": "upptäckt", "manifest": "manifest"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")


def run(args: argparse.Namespace, config: Config) -> int:
    corpus = load_corpus_reporting(config)
    for message in corpus.duplicate_messages():
        print(f"Dubblett: {message}", file=sys.stderr)
    items = []
    for doc in corpus.documents:
        m = doc.meta
        items.append(
            {
                "report_id": m.report_id,
                "source": m.source,
                "title": m.title,
                "unit": m.unit,
                "district": m.district,
                "year": m.year,
                "type": m.type,
                "pages": m.pages,
                "origin": dict(m.origin),
                "sha256": m.sha256,
                "characters": len(doc.text),
                "confidence": dict(m.confidence),
                "evidence": {k: list(v) for k, v in m.evidence.items()},
                "duplicates": corpus.copies_of(m.report_id),
            }
        )
    if args.json:
        print_json(items)
        return 0 if corpus.documents or not corpus.errors else 1
    sure = sure_confidence()
    rows = []
    for item, doc in zip(items, corpus.documents, strict=True):
        origin: dict[str, str] = dict(doc.meta.origin)
        doc_confidence = doc.meta.confidence
        confidence = dict(doc_confidence)

        def mark(key: str, origin: dict[str, str] = origin, confidence: dict[str, float] = confidence) -> str:
            if origin.get(key) == "manifest":
                return "*"
            return "~" if confidence.get(key, 1.0) < sure else ""

        rows.append(
            [
                str(item["report_id"]),
                f"{item['year'] or '?'}{mark('year')}",
                f"{item['type']}{mark('type')}",
                f"{item['unit'] or '?'}{mark('unit')}",
                f"{item['district'] or '–'}{mark('district')}",
                str(item["pages"] or "–"),
                f"{item['title']}{mark('title')}",
            ]
        )
    print(table(rows, ["Rapport-id", "År", "Typ", "Enhet", "Stadsdel", "Sidor", "Titel"]))
    fields = ", ".join(MANIFEST_FIELDS)
    print(f"\n{len(items)} rapporter. * = värdet kommer från corpus/manifest.toml, övriga är upptäckta ur filen.")
    print("~ = osäkert upptäckt: bekräfta eller rätta värdet i manifestet (eller i fliken Rapporter).")
    print(f"Fält som kan rättas i manifestet: {fields}.")
    if corpus.errors:
        print(f"{len(corpus.errors)} fil(er) kunde inte läsas, se varningarna ovan.")
    if corpus.duplicates:
        print(f"{len(corpus.duplicates)} fil(er) är kopior av en annan rapport och räknas bara en gång, se ovan.")
    return 0

"""``chunks``: what the index will hold, with heading paths."""

from __future__ import annotations

import argparse

from ..config import Config
from ..errors import AssistantError
from ..index.chunking import chunk_document
from . import load_corpus_reporting, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", nargs="?", help="rapport-id eller filnamn (standard: alla rapporter)")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")


def run(args: argparse.Namespace, config: Config) -> int:
    corpus = load_corpus_reporting(config)
    docs = corpus.documents
    if args.report:
        wanted = args.report
        docs = [d for d in docs if wanted in (d.meta.report_id, d.meta.source, d.meta.source.rsplit("/", 1)[-1])]
        if not docs:
            known = ", ".join(d.meta.report_id for d in corpus.documents)
            raise AssistantError(f"Hittar ingen rapport '{wanted}'. Rapporter som finns: {known}.")
    chunks = [c for d in docs for c in chunk_document(d, config.chunk_size)]
    if args.json:
        print_json([c.to_json() for c in chunks])
        return 0
    for c in chunks:
        pages = ", ".join(map(str, c.pages)) or "–"
        print(f"── {c.chunk_id}  [{c.year} {c.unit}]  s. {pages}  ({len(c.text)} tecken, {c.kind})")
        print(f"   {c.section}")
        for line in c.text.splitlines():
            print(f"   │ {line}")
        print()
    print(f"{len(chunks)} textavsnitt i {len(docs)} rapport(er).")
    return 0

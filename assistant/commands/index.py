"""``index``: build the search index, or bring it up to date."""

from __future__ import annotations

import argparse
import sys
import time

from ..config import Config
from ..index.embeddings import load_embedder
from ..index.store import IndexStore
from . import add_model_option, load_corpus_reporting


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rebuild", action="store_true", help="bygg om hela indexet (sparade vektorer återanvänds)")
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    corpus = load_corpus_reporting(config)
    for message in corpus.duplicate_messages():
        print(f"Dubblett: {message}", file=sys.stderr)
    embedder = load_embedder(config.model)
    store = IndexStore(config, embedder)
    status = store.status(corpus)
    if status.fresh and not args.rebuild:
        print(f"Indexet är aktuellt ({len(corpus.documents)} rapporter, modell {embedder.model_id}).")
        return 0
    if status.reason:
        print(status.reason, file=sys.stderr)
    started = time.perf_counter()
    folder = store.build(corpus)
    index = store.open_folder(folder)
    seconds = time.perf_counter() - started
    print(
        f"Indexet är byggt: {len(index.chunks)} textavsnitt från {len(corpus.documents)} rapporter "
        f"på {seconds:.1f} s (modell {embedder.model_id}, {index.manifest['dense_type']})."
    )
    return 0

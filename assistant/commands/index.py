"""``index``: build the search index, or bring it up to date; a damaged one is repaired.

Every file of the live store is verified against its checksum first (``index/integrity.py``): a
damaged store is named and rebuilt from the per-report caches, which are verified too (a damaged
entry is embedded again)."""

from __future__ import annotations

import argparse
import sys

from ..config import Config
from ..index.embeddings import load_embedder
from ..index.progress import BuildProgress, ProgressBar, StepCallback, format_duration
from ..index.store import IndexStore, skipped_reports
from . import add_model_option, load_corpus_reporting


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rebuild", action="store_true", help="bygg om hela indexet (sparade vektorer återanvänds)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processer som bäddar in (standard: en per kärna, env RAPPORT_BUILD_WORKERS; 1 = ingen extra process)",
    )
    add_model_option(parser)


def run(args: argparse.Namespace, config: Config) -> int:
    corpus = load_corpus_reporting(config)
    for message in corpus.duplicate_messages():
        print(f"Dubblett: {message}", file=sys.stderr)
    embedder = load_embedder(config.model)
    store = IndexStore(config, embedder)
    status = store.status(corpus)
    damage = status.damage if status.corrupt else store.damage() if status.fresh else ""
    if status.fresh and not damage and not args.rebuild:
        print(f"Indexet är aktuellt ({len(corpus.documents)} rapporter, modell {embedder.model_id}).")
        return 0
    if damage:
        print(f"{damage} Det byggs om nu från de sparade vektorerna.", file=sys.stderr)
    elif status.reason:
        print(status.reason, file=sys.stderr)
    bar = ProgressBar() if sys.stderr.isatty() else None
    on_step: StepCallback = bar if bar is not None else _LinePrinter()
    try:
        folder = store.build(corpus, on_step=on_step, workers=args.workers)
    finally:
        if bar is not None:
            bar.close()
    index = store.open_folder(folder)
    skipped = skipped_reports(index)
    for error in skipped:
        print(f"Varning: {error} Rapporten hoppas över.", file=sys.stderr)
    report = store.last_build
    assert report is not None
    reused = f", {report.texts_reused} återanvända" if report.texts_reused else ""
    embedded = (
        f"{report.reports_embedded} rapporter inbäddade ({report.texts_encoded} texter{reused},"
        f" {report.embed_seconds:.1f} s, {_per_chunk(report.embed_seconds, report.chunks_embedded)})"
        if report.reports_embedded
        else "inga nya inbäddningar"
    )
    print(
        f"Indexet är byggt: {len(index.chunks)} textavsnitt från {len(corpus.documents) - len(skipped)} rapporter "
        f"på {report.seconds:.1f} s; {embedded}; modell {embedder.model_id}, {index.manifest['dense_type']}."
    )
    return 0


def _per_chunk(seconds: float, chunks: int) -> str:
    """Embedding time per chunk of the embedded reports (their sentences included)."""
    return f"{1000 * seconds / max(chunks, 1):.0f} ms per avsnitt"


class _LinePrinter:
    """Without a terminal (a log, a pipe): one line per finished report instead of a bar."""

    def __init__(self) -> None:
        self._shown = -1

    def __call__(self, progress: BuildProgress) -> None:
        if progress.stage == "bäddar in" and progress.chunks_total and progress.reports_done != self._shown:
            self._shown = progress.reports_done
            eta = f", ca {format_duration(progress.eta_s)} kvar" if progress.eta_s is not None else ""
            print(
                f"  {progress.reports_done}/{progress.reports_total} rapporter, "
                f"{progress.chunks_done:.0f}/{progress.chunks_total} avsnitt inbäddade{eta}",
                file=sys.stderr,
                flush=True,
            )

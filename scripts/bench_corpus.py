"""Benchmark: load + clean and chunk the corpus, against a naive baseline.

    .venv/bin/python scripts/bench_corpus.py [--runs 20] [--corpus corpus] [--size 900]

Every run loads and cleans every report (``load_corpus``: read, decode, clean,
detect metadata) and chunks it (``chunk_document``), all in this one process.
The baseline, measured in the same process and the same way, reads the same
files and cuts them into fixed 800-character chunks. Printed: median and p95
per stage over the runs, and the ratio of the total to the baseline.
Nothing is asserted; the figures are for people.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.chunking import chunk_document  # noqa: E402
from assistant.ingest.corpus import load_corpus, report_files  # noqa: E402

BASELINE_CHUNK = 800


def naive_chunks(corpus_dir: Path) -> list[str]:
    """The baseline: read each file and cut it every 800 characters."""
    chunks: list[str] = []
    for path in report_files(corpus_dir):
        text = path.read_bytes().decode("utf-8", errors="replace")
        chunks.extend(text[i : i + BASELINE_CHUNK] for i in range(0, len(text), BASELINE_CHUNK))
    return chunks


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats
    return ordered[int(rank) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="number of runs (default 20)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="report folder (default: corpus/)")
    parser.add_argument("--size", type=int, default=900, help="chunk size in characters (default 900)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    # One warm-up of each, so that imports and regex compilation are not timed.
    corpus = load_corpus(args.corpus, args.corpus.parent)
    for doc in corpus.documents:
        chunk_document(doc, args.size)
    naive_chunks(args.corpus)

    load_times: list[float] = []
    chunk_times: list[float] = []
    total_times: list[float] = []
    baseline_times: list[float] = []
    n_chunks = n_naive = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        docs = load_corpus(args.corpus, args.corpus.parent).documents
        loaded = time.perf_counter()
        chunks = [c for d in docs for c in chunk_document(d, args.size)]
        chunked = time.perf_counter()
        naive = naive_chunks(args.corpus)
        done = time.perf_counter()
        load_times.append(loaded - start)
        chunk_times.append(chunked - loaded)
        total_times.append(chunked - start)
        baseline_times.append(done - chunked)
        n_chunks, n_naive = len(chunks), len(naive)

    characters = sum(len(d.source_text) for d in corpus.documents)
    print(f"Korpus: {args.corpus} — {len(corpus.documents)} rapporter, {characters:,} tecken".replace(",", " "))
    print(f"Körningar: {args.runs}; {n_chunks} textavsnitt (storlek {args.size}); baslinje {n_naive} bitar à 800")
    if corpus.errors:
        print(f"({len(corpus.errors)} fil(er) kunde inte läsas och ingår inte)")
    print()
    print(f"{'steg':<22}{'median':>12}{'p95':>12}")
    rows = [
        ("läsa + rensa", load_times),
        ("dela i textavsnitt", chunk_times),
        ("totalt", total_times),
        ("baslinje (naiv 800)", baseline_times),
    ]
    for name, values in rows:
        print(f"{name:<22}{statistics.median(values) * 1000:>10.1f}ms{percentile(values, 95) * 1000:>10.1f}ms")
    ratio = statistics.median(total_times) / statistics.median(baseline_times)
    print()
    print(f"Kvot totalt / baslinje (median): {ratio:.0f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())

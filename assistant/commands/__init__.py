"""One module per CLI command (see ``assistant.cli``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ..config import Config
from ..index.doc_cache import load_corpus_cached
from ..ingest.corpus import Corpus

__all__ = ["add_model_option", "load_corpus_reporting", "print_json", "table", "warn_about"]


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """``--model`` after the command name too (``ask --model …``)."""
    parser.add_argument(
        "--model",
        default=argparse.SUPPRESS,
        help="inbäddningsmodell: standardmodellen eller ett sentence-transformers-namn/sökväg",
    )


def load_corpus_reporting(config: Config) -> Corpus:
    """Load the corpus (cleaned documents from the cache in ``index/``); unreadable reports and wrong
    manifest entries are named on stderr, the rest go on."""
    corpus = load_corpus_cached(config)
    warn_about(corpus.errors, corpus.manifest_problems)
    return corpus


def warn_about(errors: Sequence[Exception], manifest_problems: Sequence[Exception] = ()) -> None:
    """One line on stderr per report skipped and per manifest entry or field not used."""
    for error in errors:
        print(f"Varning: {error} Rapporten hoppas över.", file=sys.stderr)
    for problem in manifest_problems:
        print(f"Varning: {problem}", file=sys.stderr)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=False))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))
    return "\n".join(lines)

"""Shared, session-scoped fixtures.

Only generic fixtures live here (the project, the seed corpus and its chunks);
fixtures used by a single test module stay in that module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chunking import chunk_document
from assistant.config import Config
from assistant.corpus import Corpus, load_corpus
from assistant.documents import Chunk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The checkout: holds ``corpus/`` with the five seed reports."""
    return ROOT


@pytest.fixture(scope="session")
def seed_corpus(project_root: Path) -> Corpus:
    """The real seed corpus, loaded once. Treat it as read-only."""
    return load_corpus(project_root / "corpus", project_root)


@pytest.fixture(scope="session")
def seed_chunks(seed_corpus: Corpus) -> list[Chunk]:
    """Chunks of every seed report at the default chunk size."""
    size = Config(root=ROOT).chunk_size
    return [chunk for doc in seed_corpus.documents for chunk in chunk_document(doc, size)]

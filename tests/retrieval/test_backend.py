"""The retrieval interface (assistant/retrieval/backend.py): the local index keeps it, and a second
backend written only against it answers through the unchanged pipeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.config import Config
from assistant.documents import Chunk
from assistant.index.embeddings import Embedder
from assistant.index.lexical.neighbours import WordNeighbours
from assistant.index.store import SearchIndex
from assistant.retrieval import Retriever
from assistant.retrieval.backend import LexicalBackend, RetrievalBackend
from assistant.tuning import LexicalWeights

pytestmark = pytest.mark.slow

QUESTIONS = (
    "Vad var sjukfrånvaron för Assistansenheten 2018?",
    "Hur många synpunkter och klagomål fick beställarenheten 2014?",
    "Vilka utvecklingsområden har Enheten för personligt stöd för 2025?",
    "Hur har sjukfrånvaron utvecklats över åren?",
    "Vad kostar parkeringsavgiften för personalen?",
)


class PlainLexical:
    """A lexical side of another backend: here it forwards to a BM25 index it was given."""

    def __init__(self, inner: LexicalBackend) -> None:
        self.inner = inner

    @property
    def vocab(self) -> Mapping[str, int]:
        return self.inner.vocab

    @property
    def size(self) -> int:
        return self.inner.size

    def scores_and_terms(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
        return self.inner.scores_and_terms(question, w, extra, spell=spell)

    def expand(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> dict[str, float]:
        return self.inner.expand(question, w, extra, spell=spell)

    def unknown_terms(self, question: str) -> list[str]:
        return self.inner.unknown_terms(question)


class NumpyBackend:
    """A second backend, written against RetrievalBackend only: no FAISS, vectors in numpy arrays."""

    def __init__(self, chunks: Sequence[Chunk], vectors: np.ndarray, spans: list[list[tuple[int, int]]],
                 sentence_vectors: np.ndarray, lexical: LexicalBackend,
                 neighbours: WordNeighbours | None = None) -> None:  # fmt: skip
        self._chunks = list(chunks)
        self.vectors = vectors
        self.spans = spans
        self.sentence_vectors = np.asarray(sentence_vectors)
        self.offsets = np.cumsum([0] + [len(sp) for sp in spans])
        self._bm25 = lexical
        self._neighbours = neighbours

    @property
    def chunks(self) -> Sequence[Chunk]:
        return self._chunks

    @property
    def bm25(self) -> LexicalBackend:
        return self._bm25

    @property
    def neighbours(self) -> WordNeighbours | None:
        return self._neighbours  # the corpus's word vectors, as another backend would store them too

    def dense_scores_all(self, query_vec: np.ndarray) -> np.ndarray:
        return np.asarray(self.vectors @ query_vec, dtype=np.float32)

    def sentences_of(self, position: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        a, b = self.offsets[position], self.offsets[position + 1]
        return self.spans[position], self.sentence_vectors[a:b]

    def best_sentence_scores(self, positions: np.ndarray, query_vec: np.ndarray) -> np.ndarray:
        out = np.full(len(positions), -1.0, dtype=np.float32)
        for i, pos in enumerate(positions):
            _, vecs = self.sentences_of(int(pos))
            if len(vecs):
                out[i] = float(np.max(vecs @ query_vec))
        return out


def other_backend(index: SearchIndex) -> NumpyBackend:
    return NumpyBackend(
        index.chunks,
        np.load(index.folder / "vectors.npy"),
        index.sentence_spans,
        index.sentence_vectors,
        PlainLexical(index.bm25),
        index.neighbours,
    )


def test_the_local_index_is_a_retrieval_backend(assistant: Assistant) -> None:
    assert isinstance(assistant.index, RetrievalBackend)
    assert isinstance(assistant.index.bm25, LexicalBackend)
    assert isinstance(other_backend(assistant.index), RetrievalBackend)


def test_another_backend_answers_through_the_same_pipeline(built_root: Path, embedder: Embedder) -> None:
    local = Assistant(Config(root=built_root), build="never", embedder=embedder)
    other = Assistant(Config(root=built_root), build="never", embedder=embedder)
    backend = other_backend(other.index)
    # Swapped in the way a configured second backend would be: retrieval and answering are not touched.
    other._index, other._retriever = backend, Retriever(backend, embedder, other.tuning)  # type: ignore[assignment]
    assert other.retriever.index is backend
    for question in QUESTIONS:
        a, b = local.ask(question), other.ask(question)
        assert b.abstained == a.abstained
        assert [c.report_id for c in b.citations][:3] == [c.report_id for c in a.citations][:3]
        if not a.abstained:
            assert b.answer == a.answer

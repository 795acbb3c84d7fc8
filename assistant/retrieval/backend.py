"""The one interface between retrieval and whatever holds the index.

Retrieval (:class:`~assistant.retrieval.fusion.Retriever`), answering
(``answer/scoring.py``, ``answer/compose.py``) and drafting read the index
only through the members below. The local backend is
:class:`assistant.index.store.SearchIndex`: FAISS and bm25s in this process,
the chunks in memory, the sentence vectors memory-mapped. A second backend —
an existing search engine such as OpenSearch holding the chunks with a
Swedish analyzer and a k-NN field (docs/scaling.md) — is a new module whose
index object has these members; nothing in retrieval or answering changes.

The contract, as the local backend keeps it and a remote one would:

* ``chunks[i]`` is the chunk at position ``i``; every array below is indexed
  by position. A remote backend keeps the chunk table (or a cache of it) on
  the serving side: fusion, filters and citations need it.
* ``dense_scores_all(q)``: the cosine similarity of every chunk to the query
  vector, or -1 for a chunk the backend did not score (the local HNSW index
  above 50 000 chunks scores its 2 000 nearest; a remote k-NN query would
  score its top k).
* ``bm25.scores_and_terms(text, weights)``: the lexical score of every chunk
  (0 where nothing matched) and each query term's (weight, idf); the
  expansion (compounds, thesaurus) is the backend's, so that the scores and
  the terms agree.
* ``best_sentence_scores`` / ``sentences_of``: the sentence vectors of the
  passages a question hits (a few hundred rows per question).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ..documents import Chunk

if TYPE_CHECKING:
    from ..index.lexical.neighbours import WordNeighbours
    from ..tuning import LexicalWeights

__all__ = ["LexicalBackend", "RetrievalBackend"]


@runtime_checkable
class LexicalBackend(Protocol):
    """Lexical (BM25-style) scoring over the same chunk positions."""

    @property
    def vocab(self) -> Mapping[str, int]:
        """The analysed terms of the index (drafting expands a topic with them)."""
        ...

    @property
    def size(self) -> int:
        """The number of chunks scored."""
        ...

    def scores_and_terms(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> tuple[np.ndarray, dict[str, tuple[float, float]]]:
        """A score per chunk position, and each query term's (weight, idf); ``extra``: more terms with
        their weights (the corpus words nearest to a question word it lacks); ``spell``: a misspelt
        word also searches the corpus word it is one slip from."""
        ...

    def expand(
        self,
        question: str,
        w: LexicalWeights | None = None,
        extra: dict[str, float] | None = None,
        *,
        spell: bool = True,
    ) -> dict[str, float]:
        """The index terms a question stands for, with weights (compounds, thesaurus, ``extra``)."""
        ...

    def unknown_terms(self, question: str) -> list[str]:
        """Content words of the question the corpus never uses."""
        ...


@runtime_checkable
class RetrievalBackend(Protocol):
    """Everything retrieval and answering read from an index."""

    @property
    def chunks(self) -> Sequence[Chunk]:
        """The chunk at each position."""
        ...

    @property
    def bm25(self) -> LexicalBackend:
        """The lexical side over the same positions."""
        ...

    def dense_scores_all(self, query_vec: np.ndarray) -> np.ndarray:
        """Cosine similarity per chunk position (-1 where not scored)."""
        ...

    def best_sentence_scores(self, positions: np.ndarray, query_vec: np.ndarray) -> np.ndarray:
        """For the chunks at ``positions``: the similarity of each one's closest sentence."""
        ...

    def sentences_of(self, position: int) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The sentence spans of one chunk and their vectors."""
        ...

    @property
    def neighbours(self) -> WordNeighbours | None:
        """The corpus's words with their vectors (a question word the corpus lacks → its nearest report
        words), or None for a backend without them: lexical search then does without."""
        ...

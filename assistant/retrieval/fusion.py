"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused, within filters.

Ranking: reciprocal rank fusion, ``Σ w / (K + rank)`` over the dense and the
lexical ranking, plus a share for each passage's closest single sentence (a
fact stated in one sentence of a long passage) and a small term for the raw
dense similarity, so that ties go to the semantically closer passage. The
weights are :class:`~assistant.tuning.FusionWeights` (``data/tuning.toml``).

Filters (year, unit, type) restrict the candidates before fusion; they come
from explicit options or from the question (:mod:`assistant.query`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..documents import Chunk
from ..index.embeddings import Embedder
from ..index.lexical.analyzer import content_words, stem
from ..index.lexical.thesaurus import has_expansion, synonym_terms
from ..index.store import SearchIndex
from ..query.intent import QueryIntent
from ..query.language import english_function_words
from ..tuning import FusionWeights, LexicalWeights, Tuning
from .filters import Filters

__all__ = ["Hit", "Retriever", "Scores"]


@dataclass(frozen=True)
class Scores:
    dense: np.ndarray  # cosine similarity per chunk
    lexical: np.ndarray  # BM25 per chunk
    terms: dict[str, tuple[float, float]]  # query term -> (weight, idf)
    embed_ms: float
    qvec: np.ndarray  # the question's embedding
    cvec: np.ndarray | None = None  # the content query's embedding, when asked for (``embed_content``)

    def by_subject(self) -> Scores:
        """The same scores, with the content query's vector as the one sentences are compared with."""
        if self.cvec is None:
            return self
        return Scores(self.dense, self.lexical, self.terms, self.embed_ms, self.cvec, self.cvec)


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
    def __init__(self, index: SearchIndex, embedder: Embedder, tuning: Tuning | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.neighbours = index.neighbours
        self._word_vectors: dict[str, np.ndarray] = {}  # question words embedded before (bounded)
        self.tuning = tuning or Tuning.default()
        self.weights = self.tuning.fusion
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

    def score_all(
        self, intent: QueryIntent, *, embed_content: bool = False, lexical: LexicalWeights | None = None
    ) -> Scores:
        """Dense and lexical scores for every chunk, the query terms, and ms spent embedding.

        Lexical search uses the question without the words that became filters
        (years, unit names): inside the filtered reports they would only favour
        passages that happen to repeat the unit's name or the year.
        ``embed_content`` also embeds that content query, in the same batch.
        """
        t0 = time.perf_counter()
        w = lexical or self.tuning.lexical
        both = embed_content and bool(intent.content)
        texts = [intent.text, intent.content] if both else [intent.text]
        unknown = self._unknown_words(intent, w.neighbour_words) if self.neighbours is not None and w.neighbour else []
        new = [word for word in unknown if word not in self._word_vectors]
        vecs = self.embedder.encode_queries(texts + new)
        qvec = vecs[0]
        if len(self._word_vectors) > 10_000:
            self._word_vectors.clear()
        self._word_vectors.update(zip(new, vecs[len(texts) :], strict=True))
        embed_ms = (time.perf_counter() - t0) * 1000
        extra: dict[str, float] = {}
        for word in unknown:
            assert self.neighbours is not None
            for term, sim in self.neighbours.nearest(self._word_vectors[word], w.neighbour_k, w.neighbour_floor):
                weight = w.neighbour * (sim - w.neighbour_floor) / (1 - w.neighbour_floor)
                extra[term] = max(extra.get(term, 0.0), weight)
        dense = self.index.dense_scores_all(qvec)
        bm25, terms = self.index.bm25.scores_and_terms(intent.search_text, w, extra, spell=intent.lang != "en")
        return Scores(dense, bm25, terms, embed_ms, qvec, vecs[1] if both else None)

    def _unknown_words(self, intent: QueryIntent, most: int) -> list[str]:
        """The question's content words that the corpus never uses and that no word list carries to a
        report word (each costs an embedding, so these only), longest first, at most ``most``."""
        vocab = self.index.bm25.vocab
        skip = english_function_words() if intent.lang == "en" else frozenset()

        def lacking(word: str) -> bool:
            term = stem(word)
            if len(word) < 4 or word in skip or term in vocab or has_expansion(term):
                return False
            return not any(s in vocab for s in synonym_terms(word))

        found = dict.fromkeys(w for w in content_words(intent.search_text) if lacking(w))
        return sorted(found, key=len, reverse=True)[:most]

    def dense_scores(self, text: str) -> np.ndarray:
        """The cosine of every chunk to ``text`` embedded as a query (drafting ranks sections by it)."""
        return self.index.dense_scores_all(self.embedder.encode_queries([text])[0])

    def search(self, filters: Filters, scores: Scores, k: int = 10, weights: FusionWeights | None = None) -> list[Hit]:
        return self.fuse(scores.dense, scores.lexical, self.mask(filters), k, scores.qvec, weights)

    def search_per_year(
        self, filters: Filters, scores: Scores, k: int, per_year: int, weights: FusionWeights | None = None
    ) -> list[Hit]:
        """The best ``per_year`` passages of each year (for questions across years): each year's best
        passage first, years in order, then the runners-up."""
        hits = self.search(filters, scores, k=max(60, k * 12), weights=weights)
        groups: dict[int | None, list[Hit]] = {}
        for hit in hits:
            group = groups.setdefault(hit.chunk.year, [])
            if len(group) < per_year:
                group.append(hit)
        ordered = sorted(groups.items(), key=lambda item: item[0] or 0)
        return [g[0] for _, g in ordered] + [h for _, g in ordered for h in g[1:]]

    def fuse(
        self,
        dense: np.ndarray,
        lexical: np.ndarray,
        mask: np.ndarray,
        k: int,
        qvec: np.ndarray | None = None,
        weights: FusionWeights | None = None,
    ) -> list[Hit]:
        candidates = np.flatnonzero(mask)
        if len(candidates) == 0:
            return []
        w = weights or self.weights
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
        return [
            Hit(
                chunk=self.index.chunks[int(candidates[i])],
                position=int(candidates[i]),
                score=float(fused[i]),
                dense=float(d[i]),
                lexical=float(lx[i]),
                rank_dense=int(rank_d[i]),
                rank_lexical=int(rank_l[i]),
            )
            for i in top
        ]

"""Scoring a question together with other queries said beside it, each with a weight.

A follow-up with a subject of its own that points back ("Hur många lägenheter
har den?") is searched with the previous turn's subject beside it; a question a
language model rewrote is searched as asked *and* as rewritten. Each query is
scored like the question itself (:meth:`Retriever.score_all`): the dense
similarities are averaged with the weights, the BM25 scores added with them, and
the vector that sentences are compared with is the weighted sum of the
queries' vectors. A query's terms count as the question's own only with
weight 1, so the coverage of a sentence is still measured on the question's
own words.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from ..query.intent import QueryIntent
from ..tuning import LexicalWeights
from .fusion import Retriever, Scores

__all__ = ["score_beside"]


def score_beside(
    retriever: Retriever,
    intent: QueryIntent,
    beside: Sequence[tuple[str, float]] = (),
    *,
    embed_content: bool = False,
    lexical: LexicalWeights | None = None,
) -> Scores:
    """``intent``'s scores fused with those of the (text, weight) queries ``beside`` it."""
    beside = [(t, w) for t, w in beside if t.strip() and w > 0]
    if not beside:
        return retriever.score_all(intent, embed_content=embed_content, lexical=lexical)
    t0 = time.perf_counter()
    both = embed_content and bool(intent.content)
    head = [intent.text, intent.content] if both else [intent.text]
    vecs = retriever.embedder.encode_queries(head + [t for t, _ in beside])
    embed_ms = (time.perf_counter() - t0) * 1000
    index = retriever.index
    qvec = vecs[0]
    dense = index.dense_scores_all(qvec).astype(np.float32)
    summed = qvec.astype(np.float32).copy()
    total = 1.0
    lexical = lexical or retriever.tuning.lexical
    spell = intent.lang != "en"
    bm25, terms = index.bm25.scores_and_terms(intent.search_text, lexical, spell=spell)
    bm25 = bm25.astype(np.float32)
    for vec, (text, weight) in zip(vecs[len(head) :], beside, strict=True):
        dense += weight * index.dense_scores_all(vec)
        summed += weight * vec
        total += weight
        other, other_terms = index.bm25.scores_and_terms(text, lexical, spell=spell)
        bm25 += weight * other
        for term, (w, idf) in other_terms.items():
            if term not in terms:
                terms[term] = (w * weight, idf)
    dense /= total
    norm = float(np.linalg.norm(summed)) or 1.0
    return Scores(dense, bm25, terms, embed_ms, summed / norm, vecs[1] if both else None)

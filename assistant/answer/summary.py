"""Answering an open question with an extractive summary of the best-matching section(s).

"Sammanfatta vad rapporten säger om klagomål", "Vad gjorde enheten för att få
ner sjukfrånvaron?": the answer is several things a section says, not one
sentence. The best-matching section (and a second one when it matches nearly
as well) is read whole — every passage under the same heading in the same
report, also those retrieval did not rank — and from its sentences a few are
chosen by maximal marginal relevance (MMR): each next sentence is the one most
relevant to the question and least like the sentences already chosen, so the
summary covers several points instead of repeating one. The sentences are
quoted in document order, each cited. Parameters: :class:`~assistant.tuning.SummaryTuning`.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

import numpy as np

from ..index.store import SearchIndex
from ..query.intent import QueryIntent
from ..retrieval.fusion import Hit, Scores
from ..tuning import Tuning
from .model import Sentence
from .scoring import HAS_NUMBER, is_heading_like, score_sentences

__all__ = ["Summary", "summarise"]


@dataclass(frozen=True)
class Summary:
    hits: list[Hit]  # the passages the sentences come from (retrieved ones first)
    sentences: list[Sentence]  # chunk_index points into ``hits``; in document order


_SECTIONS: weakref.WeakKeyDictionary[SearchIndex, dict[tuple[str, tuple[str, ...]], list[int]]] = (
    weakref.WeakKeyDictionary()
)


def _section_positions(index: SearchIndex) -> dict[tuple[str, tuple[str, ...]], list[int]]:
    """Index rows of every section: (report, heading path) → positions, in document order."""
    found = _SECTIONS.get(index)
    if found is None:
        found = {}
        for pos, chunk in enumerate(index.chunks):
            found.setdefault((chunk.report_id, chunk.heading_path), []).append(pos)
        _SECTIONS[index] = found
    return found


def _ranked_sections(hits: list[Hit], scored: list[Sentence]) -> list[tuple[str, tuple[str, ...]]]:
    """Sections (report, heading path) in the order of their best sentence: the section a summary
    reads is the one holding the sentence that best answers the question, as a one-sentence answer
    would quote it."""
    order: list[tuple[str, tuple[str, ...]]] = []
    for sent in scored:
        key = _key(hits[sent.chunk_index])
        if key not in order:
            order.append(key)
    return order


def summarise(
    intent: QueryIntent,
    hits: list[Hit],
    scored: list[Sentence],
    index: SearchIndex,
    scores: Scores,
    tuning: Tuning,
) -> Summary:
    """The summary's passages and sentences (empty when the sections hold nothing to quote).

    The best section is read whole; the next ones only while fewer than ``min_sentences`` sentences
    have been found (a short section). Within them a sentence's worth is its relevance to the question
    and its centrality in the section (closeness to the mean of the section's sentence vectors), both
    scaled to 0..1 — a section answering "what did they do" is mostly about the doing, in words the
    question does not use — and the sentences are chosen from that by MMR.
    """
    s = tuning.summary
    positions = _section_positions(index)
    by_position = {h.position: h for h in hits}
    pool: list[Hit] = []
    chosen: list[tuple[str, tuple[str, ...]]] = []
    candidates: list[Sentence] = []
    for key in _ranked_sections(hits, scored)[: s.sections]:
        start = len(pool)
        for pos in positions.get(key, []):
            pool.append(by_position.get(pos) or Hit(index.chunks[pos], pos, 0.0, 0.0, 0.0, -1, -1))
        scored = score_sentences(intent, pool[start:], index, scores, tuning.sentences, decay=False)
        candidates += [
            replace(x, chunk_index=x.chunk_index + start)
            for x in scored
            if not is_heading_like(x.text, pool[start + x.chunk_index].chunk)
        ]
        chosen.append(key)
        if len(candidates) >= s.min_sentences:
            break
    if not candidates:
        return Summary([], [])
    vectors = _vectors(pool, index)
    worth = _worth(candidates, vectors, s.centrality)
    picked = _mmr(candidates, worth, vectors, tuning)
    order = {key: n for n, key in enumerate(chosen)}
    picked.sort(key=lambda x: (order[_key(pool[x.chunk_index])], pool[x.chunk_index].chunk.start + x.start))
    return Summary(pool, picked)


def _key(hit: Hit) -> tuple[str, tuple[str, ...]]:
    return hit.chunk.report_id, hit.chunk.heading_path


def _vectors(pool: list[Hit], index: SearchIndex) -> dict[tuple[int, int, int], np.ndarray]:
    out = {}
    for i, hit in enumerate(pool):
        spans, vecs = index.sentences_of(hit.position)
        for (a, b), vec in zip(spans, vecs, strict=True):
            out[(i, a, b)] = np.asarray(vec, dtype=np.float32)
    return out


def _scaled(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.ones_like(values)


def _worth(candidates: list[Sentence], vectors: dict[tuple[int, int, int], np.ndarray], centrality: float) -> dict:  # type: ignore[type-arg]
    """Relevance to the question and centrality in the section, each scaled to 0..1, blended."""
    matrix = np.vstack([vectors[(x.chunk_index, x.start, x.end)] for x in candidates])
    centroid = matrix.mean(axis=0)
    central = _scaled(matrix @ centroid)
    relevant = _scaled(np.array([x.score for x in candidates], dtype=np.float32))
    blend = (1 - centrality) * relevant + centrality * central
    return {id(x): float(v) for x, v in zip(candidates, blend, strict=True)}


def _mmr(
    candidates: list[Sentence],
    worth: dict,  # type: ignore[type-arg]
    vectors: dict[tuple[int, int, int], np.ndarray],
    tuning: Tuning,
) -> list[Sentence]:
    """Maximal marginal relevance over the sentences' vectors. Cosines between Swedish sentences of one
    section are all high, so redundancy is measured above ``redundancy_centre`` (0 below it, 1 identical)."""
    s = tuning.summary
    lam, centre = s.mmr_lambda, s.redundancy_centre
    left = list(candidates)
    picked: list[Sentence] = []
    seen_text: set[str] = set()
    while left and len(picked) < s.max_sentences:
        best, best_value = None, -1e9
        for cand in left:
            own = vectors[(cand.chunk_index, cand.start, cand.end)]
            cosine = max((float(own @ vectors[(p.chunk_index, p.start, p.end)]) for p in picked), default=centre)
            value = lam * worth[id(cand)] - (1 - lam) * max(0.0, (cosine - centre) / (1.0 - centre))
            if value > best_value:
                best, best_value = cand, value
        if best is None or (len(picked) >= s.min_sentences and best_value < s.floor):
            break
        left.remove(best)
        text = " ".join(best.text.split()).lower()
        if text in seen_text or (not HAS_NUMBER.search(best.text) and len(best.text) < 25):
            continue
        seen_text.add(text)
        picked.append(best)
    return picked

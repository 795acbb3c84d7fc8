"""Scoring the sentences of the retrieved passages as answers to the question.

A sentence's score (weights: :class:`~assistant.tuning.SentenceWeights`) is
its cosine to the question, how much of the question's content it covers
(idf-weighted), the share of its own words the question asked about, and
bonuses for the kind of answer asked for (a figure, a count of the asked
thing, a date), less a penalty for a bare heading; sentences of later-ranked
passages weigh a little less.
"""

from __future__ import annotations

import re
from collections.abc import Set

import numpy as np

from ..documents import Chunk
from ..index.lexical import analyze
from ..index.store import SearchIndex
from ..lang.months import months_pattern
from ..query.intent import AnswerKind, QueryIntent
from ..resources import data_toml
from ..retrieval.fusion import Hit, Scores
from ..tuning import SentenceWeights
from .model import Sentence

__all__ = ["HAS_DATE", "HAS_NUMBER", "counts", "coverage_of", "is_heading_like", "is_short_title", "score_sentences"]

HAS_NUMBER = re.compile(r"\d")
HAS_DATE = re.compile(rf"\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{{1,2}}\s+(?:{months_pattern()})\b", re.I)
_TOKEN = re.compile(r"[\wåäöÅÄÖ:,.-]+")
_SENTENCE_END = re.compile(r"[.!?:%]$")


def _number_token() -> re.Pattern[str]:
    words = data_toml("sv/question_words.toml")["number_words"].split()
    return re.compile(r"^(?:\d[\d,.]*|" + "|".join(re.escape(w) for w in words) + r")$", re.I)


_NUM_TOKEN = _number_token()


def score_sentences(
    intent: QueryIntent,
    hits: list[Hit],
    index: SearchIndex,
    scores: Scores,
    weights: SentenceWeights,
    per_year: bool = False,
    *,
    decay: bool = True,
) -> list[Sentence]:
    """Every sentence of the hits, best first. ``decay=False``: the passages' order does not matter
    (across years, every year's passages are equals; in a summary, every passage of the section)."""
    w = weights
    # A question across years asks how a measure moved: figures are what it wants.
    wants_number = intent.asks(AnswerKind.FIGURE) or per_year
    wants_date = intent.asks(AnswerKind.DATE)
    counted = set(intent.reading.counted)
    out: list[Sentence] = []
    for i, hit in enumerate(hits):
        text = hit.chunk.text
        spans, vecs = index.sentences_of(hit.position)
        sims = vecs @ scores.qvec if len(vecs) else np.zeros(0, dtype=np.float32)
        rank_factor = 1.0 if per_year or not decay else 1.0 / (1.0 + w.rank_decay * i)
        for (s, e), sim in zip(spans, sims, strict=True):
            sentence = text[s:e]
            score = (
                w.sim * (float(sim) - w.sim_centre)
                + w.coverage * coverage_of(sentence, scores.terms)
                + w.precision * _precision(sentence, scores.terms)
            )
            if wants_number and HAS_NUMBER.search(sentence):
                score += w.number
            if counted and counts(sentence, counted):
                score += w.count
            if wants_date and HAS_DATE.search(sentence):
                score += w.date
            if is_heading_like(sentence, hit.chunk):
                score -= w.heading
            out.append(Sentence(i, s, e, sentence, score * rank_factor, float(sim)))
    out.sort(key=lambda x: -x.score)
    return out


def coverage_of(text: str, terms: dict[str, tuple[float, float]]) -> float:
    """The idf-weighted share of the question's own terms (weight 1) that occur in ``text``."""
    total = sum(w * idf for w, idf in terms.values() if w >= 1.0)
    if not total:
        return 0.0
    stems = set(analyze(text))
    return min(1.0, sum(w * idf for term, (w, idf) in terms.items() if term in stems) / total)


def _precision(sentence: str, terms: dict[str, tuple[float, float]]) -> float:
    """Share of the sentence's words that the question asked about (favours the row
    "Sjukfrånvaro 7,1 %" over "Sjukfrånvaro dag 1-14 0,9 %" for a plain sick-leave question)."""
    words = [t for t in analyze(sentence) if not t[0].isdigit()]
    if not words:
        return 0.0
    return sum(1 for t in words if t in terms) / len(words)


def counts(sentence: str, stems: Set[str]) -> bool:
    """Does a number count one of ``stems``: "ca 240 medarbetare", "antalet brukare är mellan 50-60"?"""
    tokens = _TOKEN.findall(sentence)
    for i, tok in enumerate(tokens):
        terms = analyze(tok)
        if terms and terms[0] in stems:
            before = tokens[max(0, i - 3) : i]
            after = tokens[i + 1 : i + 5] if i and tokens[i - 1].lower() in ("antalet", "antal") else []
            if any(_NUM_TOKEN.match(t.strip(",.")) and not t.strip(",.").lower() == "en" for t in before + after):
                return True
    return False


def is_heading_like(sentence: str, chunk: Chunk) -> bool:
    """A heading or a bare label rather than a sentence that says something."""
    s = sentence.strip()
    if len(s) < 25 and not HAS_NUMBER.search(s):
        return True
    if is_short_title(s) and not HAS_NUMBER.search(s):
        return True
    low = s.lower()
    return any(low == h.lower() or low.endswith(h.lower()) for h in chunk.heading_path[-1:]) and len(s) < 160


def is_short_title(sentence: str) -> bool:
    s = sentence.strip()
    return len(s) < 45 and not _SENTENCE_END.search(s) and len(s.split()) <= 5
